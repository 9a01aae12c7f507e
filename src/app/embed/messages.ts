/**
 * The embed's message protocol (described in the README, "Embed a scenario in a page"), as plain functions with no DOM: every
 * message is `{ source: 'ha-playground', type, … }`. Incoming data comes from any page on the web,
 * so `readIncoming` trusts nothing: it answers a well-formed command or null, and never throws.
 * A scenario is only checked to be plain JSON of a sane size here; the worker then validates it
 * like any file (`openScenario`), and an invalid one never replaces the run on screen.
 */
export const SOURCE = 'ha-playground';

/** A scenario handed over by message longer than this (as JSON text) is refused; the largest bundled one is a few kB. */
export const MAX_SCENARIO_JSON_CHARS = 256_000;

export type Incoming =
  | { readonly type: 'load'; readonly scenario: unknown }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'seek'; readonly atMs: number };

export type Outgoing =
  | { readonly source: typeof SOURCE; readonly type: 'ready' }
  | { readonly source: typeof SOURCE; readonly type: 'resize'; readonly height: number }
  /** A notable event, in the words of the page's event log; `kind` is the trace event's type (`leader`, `failover`, `fault`, …). */
  | { readonly source: typeof SOURCE; readonly type: 'event'; readonly atMs: number; readonly text: string; readonly kind: string }
  /** A scenario sent with `load` was not valid: the run on screen goes on, and the page is told why (not part of the contract's minimum). */
  | { readonly source: typeof SOURCE; readonly type: 'load-error'; readonly message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The scenario as plain JSON: a round trip through JSON text drops whatever a structured clone
 * may carry that a file cannot (dates, maps, cycles, which make it throw), and bounds its size.
 */
export function plainScenario(value: unknown): Record<string, unknown> | null {
  if (!isRecord(value)) return null;
  try {
    const text = JSON.stringify(value);
    if (typeof text !== 'string' || text.length > MAX_SCENARIO_JSON_CHARS) return null;
    const copy: unknown = JSON.parse(text);
    return isRecord(copy) ? copy : null;
  } catch {
    return null;
  }
}

/** A command from the embedding page, or null for anything else (another sender's message, a wrong shape). */
export function readIncoming(data: unknown): Incoming | null {
  try {
    if (!isRecord(data) || data.source !== SOURCE) return null;
    switch (data.type) {
      case 'play':
        return { type: 'play' };
      case 'pause':
        return { type: 'pause' };
      case 'seek': {
        const atMs = data.atMs;
        if (typeof atMs !== 'number' || !Number.isFinite(atMs) || atMs < 0) return null;
        return { type: 'seek', atMs: Math.floor(atMs) };
      }
      case 'load': {
        const scenario = plainScenario(data.scenario);
        return scenario ? { type: 'load', scenario } : null;
      }
      default:
        return null;
    }
  } catch {
    return null;
  }
}

export function ready(): Outgoing {
  return { source: SOURCE, type: 'ready' };
}

export function resize(height: number): Outgoing {
  return { source: SOURCE, type: 'resize', height: Math.ceil(height) };
}

export function event(atMs: number, text: string, kind: string): Outgoing {
  return { source: SOURCE, type: 'event', atMs, text, kind };
}

export function loadError(message: string): Outgoing {
  return { source: SOURCE, type: 'load-error', message };
}
