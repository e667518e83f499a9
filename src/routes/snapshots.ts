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

const renderedPieces = new WeakMap<object, BoundedMap<string, string>>();

/**
 * HTML rendered from a reused value (a snapshot's object) under `key`, rendered once and kept flat
 * for as long as that value is in use: a fresh snapshot is a new object, so what was rendered from
 * the old one goes with it and is never older than the data it shows.
 */
export function renderedFrom(source: object, key: string, render: () => string): string {
  let byKey = renderedPieces.get(source);
  if (!byKey) {
    byKey = new BoundedMap(50);
    renderedPieces.set(source, byKey);
  }
  let html = byKey.get(key);
  if (html === undefined) {
    html = flattened(render());
    byKey.set(key, html);
  }
  return html;
}
