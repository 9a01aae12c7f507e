/**
 * Scenarios in links: `#s=<lz-string>&t=<ms>` or `#preset=<id>&t=<ms>`.
 * A link made today must open the same run next year, so the encoding is exactly lz-string's
 * `compressToEncodedURIComponent(JSON.stringify(scenario))` and nothing else.
 */
import { inflateFromEncodedURIComponent } from './lz-inflate';
import { MAX_SCENARIO_TEXT_CHARS, parseScenarioText, type ParseResult } from './parse';
import { LIMITS } from './schema';

/**
 * Longer `s=` values are refused before decompressing. lz-string can expand quadratically (a
 * link of 8 000 characters can hold 10 MB of text), so decompressing also stops once the text
 * passes the longest scenario accepted (lz-inflate.ts). 3 000 recorded clicks take about 20 000.
 */
export const MAX_SCENARIO_PARAM_CHARS = 32_000;

/** Preset ids are file names under public/scenarios; nothing else may reach a URL built from one. */
const PRESET_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface LocationHash {
  /** The raw `s=` value, still compressed; decode it with `decodeScenarioParam`. */
  scenarioParam?: string;
  preset?: string;
  /** Simulated time to open paused at. */
  tMs?: number;
}

export { encodeScenarioHash } from './url-encode';

/**
 * Reads `#s=…&t=…` or `#preset=…&t=…` (the `#` is optional). Parts that are malformed are left
 * out rather than guessed at; when a key repeats, the last one counts. `s=` is not
 * percent-decoded here: lz-string's alphabet contains `+`, which form decoding would turn into a
 * space.
 */
export function parseLocationHash(hash: string): LocationHash {
  const result: LocationHash = {};
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of body.split('&')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    const key = part.slice(0, equals);
    const value = part.slice(equals + 1);
    if (key === 's' && value !== '') result.scenarioParam = value;
    if (key === 'preset') {
      const id = percentDecoded(value);
      if (id !== null && PRESET_ID.test(id)) result.preset = id;
    }
    if (key === 't' && /^[0-9]{1,10}$/.test(value) && Number(value) <= LIMITS.durationMsMax) result.tMs = Number(value);
  }
  return result;
}

/** The scenario in an `s=` value, validated like any file. */
export function decodeScenarioParam(s: string): ParseResult {
  if (typeof s !== 'string' || s.length === 0) return linkError('the link holds no scenario after "s="');
  if (s.length > MAX_SCENARIO_PARAM_CHARS) {
    return linkError(`the scenario in this link is ${s.length} characters long; at most ${MAX_SCENARIO_PARAM_CHARS} are accepted`);
  }
  // Some tools percent-encode a link again when passing it on; lz-string's alphabet has no `%`.
  const compressed = s.includes('%') ? percentDecoded(s) : s;
  const inflated = compressed === null ? null : inflateFromEncodedURIComponent(compressed, MAX_SCENARIO_TEXT_CHARS);
  if (inflated?.ok === false && inflated.reason === 'too-long') {
    return linkError(`the scenario in this link unpacks to more than ${MAX_SCENARIO_TEXT_CHARS} characters; at most ${MAX_SCENARIO_TEXT_CHARS} are accepted`);
  }
  const text = inflated?.ok ? inflated.text : null;
  if (!text) return linkError(DAMAGED);
  const result = parseScenarioText(text);
  if (result.ok) return result;
  // A link whose text is not JSON is damaged, not a JSON mistake of its author's.
  const textError = result.errors.find((error) => error.path === '(json)');
  if (textError) return linkError(textError.message.startsWith('not valid JSON') ? DAMAGED : textError.message);
  return result;
}

const DAMAGED =
  'the scenario in this link is damaged or cut short and could not be decompressed; copy the whole link again';

function percentDecoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function linkError(message: string): ParseResult {
  return { ok: false, errors: [{ path: '(link)', message }] };
}
