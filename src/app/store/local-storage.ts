/**
 * What the page keeps in the browser's storage, read and written so that a blocked, full or
 * damaged storage never breaks the page: a read gives null, a write is dropped.
 */

/** The entry under `key`, parsed and accepted by `accept` (which says null to a damaged one), or null. */
export function readStored<T>(key: string, accept: (value: unknown) => T | null): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? accept(JSON.parse(raw)) : null;
  } catch {
    return null; // storage blocked or a damaged entry: nothing to offer
  }
}

/** Keeps `value` under `key`, or removes the entry when `value` is null. */
export function writeStored(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked (private mode): it lives only as long as the page.
  }
}
