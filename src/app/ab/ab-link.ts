/**
 * The A/B part of a link: `&ab=<setting>.<a>.<b>` (e.g. `ab=prevote.off.on`,
 * `ab=replication.sync.async`, `ab=election.raft.bully`) and `&ab-seed=<n>`, after the usual
 * `#preset=…` or `#s=…` that names the scenario. The playground opens that scenario as it always
 * has (older pages ignore the new parts) and the A/B view opens on top with the comparison.
 *
 * The playground rewrites the address once it has opened a preset, so the A/B part is read here,
 * before that, as the page starts and on every `hashchange`; the A/B view takes it once the
 * scenario is open. Nothing here loads the simulation: this file is in the page's first chunk.
 */
export interface AbLinkSetup {
  readonly knob: string;
  readonly a: string;
  readonly b: string;
  /** Null: the scenario's own seed. */
  readonly seed: number | null;
}

/** A link's A/B part: the setup, or what is wrong with it in words. */
export type AbLink = { readonly ok: true; readonly setup: AbLinkSetup } | { readonly ok: false; readonly message: string };

const WORD = /^[a-z]{1,20}$/;

function fields(hash: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) found.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return found;
}

/** The A/B part of `hash`, or null when it has none. */
export function parseAbHash(hash: string): AbLink | null {
  const found = fields(hash);
  const ab = found.get('ab');
  if (ab === undefined) return null;
  const parts = decodeURIComponent(ab).split('.');
  if (parts.length !== 3 || !parts.every((p) => WORD.test(p))) {
    return { ok: false, message: `The link’s ab= must name a setting and its two values, such as “prevote.off.on”; it is “${ab.slice(0, 40)}”.` };
  }
  const [knob, a, b] = parts as [string, string, string];
  const seedText = found.get('ab-seed');
  if (seedText === undefined) return { ok: true, setup: { knob, a, b, seed: null } };
  if (!/^[0-9]{1,10}$/.test(seedText) || Number(seedText) > 4_294_967_295) {
    return { ok: false, message: `The link’s ab-seed= must be a whole number from 0 to 4294967295; it is “${seedText.slice(0, 40)}”.` };
  }
  return { ok: true, setup: { knob, a, b, seed: Number(seedText) } };
}

/** The hash's A/B part for a setup: `&ab=…&ab-seed=…`. */
export function abHashPart(setup: { readonly knob: string; readonly a: string; readonly b: string; readonly seed: number }): string {
  return `&ab=${setup.knob}.${setup.a}.${setup.b}&ab-seed=${setup.seed}`;
}

let pending: AbLink | null = null;

function capture(): void {
  pending = parseAbHash(location.hash);
}

/** Reads the address's A/B part now and on each `hashchange` (before the playground acts on it). Called once, before `boot`. */
export function watchAbLinks(): void {
  capture();
  addEventListener('hashchange', capture);
}

/** The A/B part the address last asked for, once: the A/B view takes it when the scenario has opened. */
export function takeAbLink(): AbLink | null {
  const taken = pending;
  pending = null;
  return taken;
}
