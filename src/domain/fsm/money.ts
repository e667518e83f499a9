// Money (DESIGN.md rule 6): integer minor units, tax in basis points, and the one rounding rule.
// Tax is computed per line and rounded half away from zero to the minor unit, then summed, so a
// document's total always equals the sum of what its lines show.

export interface PricedLine {
  quantity: number;
  unitPriceMinor: number;
  taxBasisPoints: number;
}

export interface LineAmounts {
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
}

export interface Totals {
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  /** Tax per rate, for the summary under the lines. */
  taxByRate: { taxBasisPoints: number; taxMinor: number }[];
}

/** a × b / d rounded half away from zero, in integers (BigInt, so no float ever touches money). */
export function mulDivRound(a: number, b: number, d: number): number {
  const n = BigInt(a) * BigInt(b);
  const D = BigInt(d);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (abs * 2n + D) / (2n * D);
  return Number(negative ? -q : q);
}

export function lineAmounts(line: PricedLine): LineAmounts {
  const netMinor = line.quantity * line.unitPriceMinor;
  if (!Number.isSafeInteger(netMinor)) throw new RangeError("amount too large");
  const taxMinor = mulDivRound(netMinor, line.taxBasisPoints, 10_000);
  return { netMinor, taxMinor, grossMinor: netMinor + taxMinor };
}

export function totals(lines: readonly PricedLine[]): Totals {
  let subtotalMinor = 0;
  let taxMinor = 0;
  const byRate = new Map<number, number>();
  for (const line of lines) {
    const amounts = lineAmounts(line);
    subtotalMinor += amounts.netMinor;
    taxMinor += amounts.taxMinor;
    byRate.set(line.taxBasisPoints, (byRate.get(line.taxBasisPoints) ?? 0) + amounts.taxMinor);
  }
  return {
    subtotalMinor,
    taxMinor,
    totalMinor: subtotalMinor + taxMinor,
    taxByRate: [...byRate]
      .sort((a, b) => a[0] - b[0])
      .map(([taxBasisPoints, tax]) => ({ taxBasisPoints, taxMinor: tax })),
  };
}

const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, IDR: 0, VND: 0, KWD: 3, BHD: 3 };
export const minorDigits = (currency: string) => MINOR_DIGITS[currency] ?? 2;

/** 12345, "MYR" → "MYR 123.45". */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const scale = 10 ** digits;
  const whole = Math.floor(abs / scale).toLocaleString("en");
  const fraction = digits ? `.${String(abs % scale).padStart(digits, "0")}` : "";
  return `${negative ? "-" : ""}${currency} ${whole}${fraction}`;
}

/** "123.45" → 12345 in a 2-digit currency; undefined for anything that is not a plain amount. */
export function parseMoney(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const match = /^\s*(\d{1,12})(?:\.(\d*))?\s*$/.exec(text.replaceAll(",", ""));
  if (!match) return undefined;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** "6" or "6.5" (percent) → basis points 600 / 650. */
export function parsePercent(text: string): number | undefined {
  const match = /^\s*(\d{1,3})(?:\.(\d{0,2}))?\s*%?\s*$/.exec(text);
  if (!match) return undefined;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0") || "0");
  return bp <= 10_000 ? bp : undefined;
}

export const formatPercent = (bp: number) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)}%`;
