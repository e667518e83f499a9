// Phone numbers as text-messaging providers use them: E.164, "+" then country code and number.

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The E.164 form of a number as people or providers write it ("+60 12-345 6789", "0060123456789",
 * "whatsapp:+60123456789"), or undefined when it has no country code to go on.
 */
export function toE164(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  let text = input.trim().replace(/^whatsapp:/i, "");
  text = text.replace(/[\s().-]/g, "");
  if (text.startsWith("00")) text = `+${text.slice(2)}`;
  return E164.test(text) ? text : undefined;
}
