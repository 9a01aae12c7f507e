/**
 * Reading the page's hash: `#preset=<id>` or `#s=<lz-string>`, each
 * optionally followed by `&t=<ms>`. Parsed by hand because URLSearchParams would turn the
 * lz-string's `+` into a space.
 */
export type LinkTarget =
  | { readonly kind: 'none' }
  | { readonly kind: 'preset'; readonly id: string }
  | { readonly kind: 'encoded'; readonly encoded: string }
  | { readonly kind: 'bad'; readonly message: string };

export interface ParsedHash {
  readonly target: LinkTarget;
  /** `&t=`: open paused at this simulated time. */
  readonly atMs: number | null;
}

const PRESET_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

function bad(message: string): ParsedHash {
  return { target: { kind: 'bad', message }, atMs: null };
}

export function parseHash(hash: string): ParsedHash {
  const body = hash.replace(/^#/, '');
  if (body === '') return { target: { kind: 'none' }, atMs: null };
  const fields = new Map<string, string>();
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return bad(`The link’s “${part.slice(0, 40)}” is not of the form name=value.`);
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  let atMs: number | null = null;
  const t = fields.get('t');
  if (t !== undefined) {
    atMs = Number(t);
    if (t === '' || !Number.isFinite(atMs) || atMs < 0) return bad(`The link’s t= must be a time in milliseconds (0 or more); it is “${t.slice(0, 40)}”.`);
  }
  const preset = fields.get('preset');
  const encoded = fields.get('s');
  if (preset !== undefined && encoded !== undefined) return bad('The link names both a preset and a scenario (preset= and s=); it should name one.');
  if (preset !== undefined) {
    const id = decodeURIComponent(preset);
    if (!PRESET_ID.test(id)) return bad(`The link’s preset= must be a scenario id such as “raft-basics”; it is “${id.slice(0, 40)}”.`);
    return { target: { kind: 'preset', id }, atMs };
  }
  if (encoded !== undefined) {
    if (encoded === '') return bad('The link’s s= is empty: the scenario it should carry is missing.');
    return { target: { kind: 'encoded', encoded }, atMs };
  }
  return bad('The link names no scenario: it should contain #preset=<id> or #s=<scenario>.');
}

/** Changes the hash without reloading and without firing `hashchange`. */
export function replaceHash(hash: string): void {
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}
