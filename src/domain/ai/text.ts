// Text into the units the models count: words (lightly stemmed), word pairs and sentences.
// The same functions run at training and prediction time, so a model sees text the same way both times.

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased words of any script; apostrophes stay inside words ("don't", "isn't"). */
export function words(text: string): string[] {
  return text.normalize("NFKC").toLowerCase().replace(/’/g, "'").match(WORD) ?? [];
}

/**
 * A light English suffix stripper: "printers" and "printing" both count as "print". Deliberately
 * timid (only common inflections) because over-stemming merges words that mean different things.
 */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 5) return `${word.slice(0, -3)}y`;
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (word.endsWith("ing") && word.length > 6) return undoubled(word.slice(0, -3));
  if (word.endsWith("ed") && word.length > 5) return undoubled(word.slice(0, -2));
  if (word.endsWith("ly") && word.length > 5) return word.slice(0, -2);
  if (word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us") && !word.endsWith("is"))
    return word.slice(0, -1);
  return word;
}

/** "stopped" → "stopp" → "stop"; keeps "ll" and "ss" ("installed" stays "install"). */
function undoubled(word: string): string {
  const last = word.at(-1);
  if (word.length > 3 && last === word.at(-2) && last !== "l" && last !== "s") return word.slice(0, -1);
  return word;
}

export interface TermOptions {
  /** Adjacent word pairs as extra terms ("password reset" differs from "reset" + "password"). */
  bigrams: boolean;
  /** Character n-grams inside words (helps with typos and product codes); 0 = off. */
  charNgram: number;
}

export const DEFAULT_TERM_OPTIONS: TermOptions = { bigrams: true, charNgram: 0 };

/** The terms a document contributes, repeated as often as they occur. */
export function terms(text: string, options: TermOptions = DEFAULT_TERM_OPTIONS): string[] {
  return termsOfWords(words(text), options);
}

/** `terms` of a text already split into words (callers that also need the words split once). */
export function termsOfWords(tokens: string[], options: TermOptions = DEFAULT_TERM_OPTIONS): string[] {
  const stems = tokens.map(stem);
  const out = [...stems];
  if (options.bigrams) for (let i = 1; i < stems.length; i++) out.push(`${stems[i - 1]} ${stems[i]}`);
  if (options.charNgram > 0) {
    const n = options.charNgram;
    for (const word of stems) {
      const padded = `<${word}>`;
      for (let i = 0; i + n <= padded.length; i++) out.push(`#${padded.slice(i, i + n)}`);
    }
  }
  return out;
}

/**
 * Sentences of a message: split after ., ! or ? followed by a space and a capital or digit, and at
 * line breaks; quoted e-mail history lines ("> ...") are left out because they repeat older messages.
 */
export function sentences(text: string): string[] {
  const lines = text.split(/\r?\n/).filter((line) => !line.trimStart().startsWith(">"));
  const out: string[] = [];
  for (const line of lines) {
    for (const piece of line.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'(])/u)) {
      const sentence = piece.trim();
      if (sentence) out.push(sentence);
    }
  }
  return out;
}
