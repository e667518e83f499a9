// Rendered pieces of the desk's busiest page, kept while nothing changed in the organization.
// Every change to a ticket appends to the event log (DESIGN.md rule 3), so "the organization's
// latest event" is an exact version: an entry is served only while that version is the one it
// was made at — read from the database on every request, so it holds across app servers — and
// for at most a short time, because relative times ("5 min ago") age on their own.

import { BoundedMap } from "../domain/bounded";

interface Entry<T> {
  version: number;
  madeAt: number;
  value: T;
}

export class Snapshots<T> {
  private readonly entries: BoundedMap<string, Entry<T>>;

  constructor(
    private readonly maxAgeMs: number,
    maxEntries: number,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  get(key: string, version: number, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version || now - entry.madeAt > this.maxAgeMs) return undefined;
    return entry.value;
  }

  set(key: string, version: number, now: number, value: T): T {
    this.entries.set(key, { version, madeAt: now, value });
    return value;
  }
}

/**
 * A rendered piece as one flat string. JSX renders to a rope of thousands of small strings, and
 * every response built from a rope copies it piece by piece again (about 1 µs per KB here); a
 * piece that is reused is flattened once, when it is stored, so later pages copy it in one go.
 */
export function flattened(html: string): string {
  return Buffer.from(html).toString();
}
