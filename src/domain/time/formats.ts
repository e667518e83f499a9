// Intl.DateTimeFormat objects are costly to build (ICU loads the zone and the locale's patterns each
// time) and cheap to reuse: building one per formatted date was the ticket page's largest cost.
// Formatters are kept per locale and options; the keys are few (a handful of shapes × the zones in use).

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A shared Intl.DateTimeFormat for these locale and options (throws for an unknown time zone). */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}
