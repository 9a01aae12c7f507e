/**
 * The form and the JSON text kept in step. The text is the one source of truth: the form shows
 * what the last readable text holds, and a form edit writes one value at its path into that
 * object and prints it again, leaving every other key (events, description, a challenge, keys
 * the form does not know) as it was. Validation is parseScenario's, the same as for links and
 * files, and each error is placed beside the field its path points to.
 */
import { formatPath, parseScenario, parseScenarioText, type ParseResult, type Scenario, type ScenarioError } from '../../sim';
import { GROUP_PATHS, defaultAt, valueAt, type Field, type Path } from './fields';

export type JsonObject = Readonly<Record<string, unknown>>;

export interface Checked {
  /** The text as a JSON object, or null when it is not valid JSON or not an object. */
  readonly doc: JsonObject | null;
  readonly result: ParseResult;
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Two-space JSON with a final newline, as the scenario files in public/scenarios are written. */
export function toText(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function checkText(text: string): Checked {
  const result = parseScenarioText(text);
  if (!result.ok && result.errors[0]?.path === '(json)') return { doc: null, result };
  const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  return { doc: isPlainObject(value) ? value : null, result };
}

// ---- reading and writing one value --------------------------------------------------------------

/** Writes `value` at `path` in a copy of `root`; undefined removes the key. Containers missing on the way are created. */
export function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  if (value === undefined && valueAt(root, path) === undefined) return root; // nothing to remove: build no empty objects on the way
  const [key, ...rest] = path as [string | number, ...Path];
  const inner = valueAt(root, [key]);
  if (typeof key === 'number') {
    const list = Array.isArray(root) ? [...(root as unknown[])] : [];
    list[key] = setAt(inner, rest, value);
    return list;
  }
  const object: Record<string, unknown> = isPlainObject(root) ? { ...root } : {};
  const next = rest.length === 0 ? value : setAt(inner, rest, value);
  if (next === undefined) delete object[key];
  else object[key] = next;
  return object;
}

/**
 * What a number field's text becomes in JSON: a number when the text is exactly how that number
 * prints (so the field keeps showing what was typed), nothing when empty (the default applies),
 * else the text itself, which validation then reports ("expected a number, got "1."").
 */
export function numberFromInput(input: string): unknown {
  const trimmed = input.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) && String(n) === trimmed ? n : input;
}

/** What a text or number input shows for a JSON value. */
export function inputFromValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The text a single-value field shows; empty when the key is left out (the placeholder shows the default). */
export function readInput(doc: JsonObject | null, field: Field): string {
  return inputFromValue(valueAt(doc, field.path));
}

/** A check box shows the value when it is true or false, else the default. */
export function readBool(doc: JsonObject | null, field: Field): boolean {
  const value = valueAt(doc, field.path);
  return typeof value === 'boolean' ? value : defaultAt(field.path) === true;
}

/** The two texts of a `[min, max]` field. */
export function readRange(doc: JsonObject | null, field: Field): readonly [string, string] {
  const value = valueAt(doc, field.path);
  if (!Array.isArray(value)) return value === undefined ? ['', ''] : [inputFromValue(value), ''];
  return [inputFromValue(value[0]), inputFromValue(value[1])];
}

export function writeInput(doc: JsonObject, field: Field, input: string): JsonObject {
  const value = field.kind === 'int' || field.kind === 'number' ? numberFromInput(input) : input === '' ? undefined : input;
  return setAt(doc, field.path, value) as JsonObject;
}

export function writeBool(doc: JsonObject, field: Field, on: boolean): JsonObject {
  return setAt(doc, field.path, on) as JsonObject;
}

/**
 * One end of a range. The other end comes from the file, or from the default when the range was
 * left out; an emptied end stays empty (and is reported) until both are empty, which brings the
 * default back.
 */
export function writeRangeEnd(doc: JsonObject, field: Field, end: 0 | 1, input: string): JsonObject {
  const current = valueAt(doc, field.path);
  const base: unknown[] = Array.isArray(current) && current.length === 2 ? [...(current as unknown[])] : [...(defaultAt(field.path) as readonly unknown[])];
  base[end] = numberFromInput(input) ?? '';
  const next = base.every((v) => v === '') ? undefined : base;
  return setAt(doc, field.path, next) as JsonObject;
}

// ---- errors beside their fields -----------------------------------------------------------------

/** Is the error at `path` or inside it? */
function isUnder(errorPath: string, path: string): boolean {
  if (path === '(scenario)') return false;
  return errorPath === path || errorPath.startsWith(`${path}.`) || errorPath.startsWith(`${path}[`);
}

/**
 * Gives each error to the most specific of `paths` it falls under (a field before its group);
 * errors under none of them come back under the key `''`.
 */
export function placeErrors(errors: readonly ScenarioError[], paths: readonly Path[]): ReadonlyMap<string, readonly ScenarioError[]> {
  const keys = paths.map((p) => formatPath(p)).sort((a, b) => b.length - a.length);
  const placed = new Map<string, ScenarioError[]>();
  for (const error of errors) {
    const key = keys.find((k) => isUnder(error.path, k)) ?? '';
    const list = placed.get(key) ?? [];
    list.push(error);
    placed.set(key, list);
  }
  return placed;
}

/** Every path the form has a place for, given the fields shown; groups included. */
export function formPaths(fields: readonly Field[]): readonly Path[] {
  return [...fields.map((f) => f.path), ...GROUP_PATHS];
}

// ---- what Apply opens ----------------------------------------------------------------------------

export type Applicable =
  | { readonly ok: true; readonly value: JsonObject; readonly scenario: Scenario; readonly dropped: readonly number[] }
  | { readonly ok: false };

function eventIndex(path: string): number | null {
  const match = /^events\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : null;
}

/**
 * The scenario Apply loads. Recorded events are kept while they still fit; when the only errors
 * are in events (a click on orch-5 after going down to three orchestrators, an event after a
 * shortened duration), those events are left out and their indexes returned, so the form can
 * say what Apply will drop. Any other error means there is nothing to apply.
 */
export function applicable(checked: Checked): Applicable {
  const { doc, result } = checked;
  if (!doc) return { ok: false };
  if (result.ok) return { ok: true, value: doc, scenario: result.scenario, dropped: [] };
  const indexes = result.errors.map((e) => eventIndex(e.path));
  if (indexes.some((i) => i === null) || !Array.isArray(doc.events)) return { ok: false };
  const dropped = [...new Set(indexes as number[])].sort((a, b) => a - b);
  const value = { ...doc, events: (doc.events as unknown[]).filter((_, i) => !dropped.includes(i)) };
  const again = parseScenario(value);
  return again.ok ? { ok: true, value, scenario: again.scenario, dropped } : { ok: false };
}
