// The languages articles can be written in, and which of them a help-center visitor gets: their
// explicit choice, else the best match of their browser's Accept-Language among the languages
// available, else the organization's own.

/** Each language by its code, named in itself (what a visitor looks for in a chooser). */
export const LOCALES: Record<string, string> = {
  en: "English",
  ms: "Bahasa Melayu",
  id: "Bahasa Indonesia",
  zh: "中文",
  ta: "தமிழ்",
  th: "ไทย",
  vi: "Tiếng Việt",
  fr: "Français",
  de: "Deutsch",
  es: "Español",
  pt: "Português",
  ja: "日本語",
  ar: "العربية",
};

export function isLocale(value: unknown): value is string {
  return typeof value === "string" && Object.hasOwn(LOCALES, value);
}

export function localeName(code: string): string {
  return LOCALES[code] ?? code;
}

/** Accept-Language's languages, most wanted first ("ms-MY,ms;q=0.9,en;q=0.5" → ms-my, ms, en). */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag && l.tag !== "*" && l.q > 0 && Number.isFinite(l.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag);
}

/** The first accepted language that is available, by exact tag or its primary part ("ms-my" → ms). */
export function negotiateLocale(
  header: string | null | undefined,
  available: readonly string[],
): string | undefined {
  for (const tag of acceptedLanguages(header)) {
    if (available.includes(tag)) return tag;
    const primary = tag.split("-")[0];
    if (available.includes(primary)) return primary;
  }
  return undefined;
}
