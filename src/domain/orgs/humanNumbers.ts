// Human numbers beside uuids (DESIGN.md rule 7): a prefix and six digits, TKT-000123, WO-000045,
// EST-000012, INV-000012. One definition of how they are written, read back, and taken from an address.
import { notFound } from "../errors";

export interface HumanNumbers {
  /** 123 → "TKT-000123". */
  format(n: number): string;
  /** "TKT-000123", "tkt-123" or "123" → 123; anything else → undefined. */
  parse(text: string): number | undefined;
  /** The number in an address, or "not found" (what the address names cannot exist). */
  param(text: string): number;
}

export function humanNumbers(prefix: string, thing: string): HumanNumbers {
  const pattern = new RegExp(`^(?:${prefix}-)?0*(\\d{1,9})$`, "i");
  const parse = (text: string) => {
    const match = pattern.exec(text.trim());
    return match ? Number(match[1]) : undefined;
  };
  return {
    format: (n) => `${prefix}-${String(n).padStart(6, "0")}`,
    parse,
    param(text) {
      const number = parse(text);
      if (number === undefined) throw notFound(thing);
      return number;
    },
  };
}
