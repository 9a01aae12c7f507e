/**
 * The one door from untrusted JSON (a file, a link, a postMessage) to a `Scenario`. It never
 * throws: whatever it is given, it answers with a scenario or with errors that name the field
 * (`events[2].node`) and say in a sentence what was expected there.
 *
 * Two passes: the zod schema (schema.ts) checks shapes, ranges and unknown keys; then the events
 * are checked against the rest of the scenario (node ids against the topology, times against
 * the duration and each other) and normalized (regions to role keys, latencies to ranges).
 */
import type { z } from 'zod/mini';
import type { LessonClaim, LessonStep, RegionRole, Scenario, ScenarioEvent, Topology } from './types';
import type { Challenge, ChallengeCheck } from '../challenge/types';
import {
  EVENT_KINDS,
  EventSchema,
  FIELDS_AT,
  LIMITS,
  SETTING_SCHEMAS,
  ScenarioSchema,
  eventFields,
  type EventKindName,
  type RawEvent,
} from './schema';
import { largestTopLevelField } from './oversize';
import {
  EVERYONE_ELSE,
  SELECTORS,
  describeNodeIds,
  initialNodes,
  isWellFormedNodeRef,
  kindOfNodeId,
  selectorsFor,
} from './nodes';

export interface ScenarioError {
  /** Where, like `events[2].node`; `(scenario)`, `(json)` or `(link)` for the whole input. */
  readonly path: string;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly errors: readonly ScenarioError[] };

/** Larger texts are refused before parsing: 10 000 events fit in well under this. */
export const MAX_SCENARIO_TEXT_CHARS = 2_000_000;
/** A reader fixes the first few errors first; a list of thousands helps nobody. */
export const MAX_ERRORS_REPORTED = 50;

type Path = readonly PropertyKey[];
type Issue = z.core.$ZodIssue;

// ---- entry points --------------------------------------------------------------------------

export function parseScenario(value: unknown): ParseResult {
  try {
    return parseChecked(value);
  } catch (error) {
    // Nothing above should throw on any JSON value; this is the promise kept for exotic ones
    // (getters that throw, proxies) that only direct callers could hand in.
    return failure([{ path: '(scenario)', message: `could not be read: ${shorten(String(error), 200)}` }]);
  }
}

export function parseScenarioText(text: string): ParseResult {
  if (typeof text !== 'string') return failure([{ path: '(json)', message: `expected text, got ${describeValue(text)}` }]);
  if (text.length > MAX_SCENARIO_TEXT_CHARS) return scenarioTooLong(text, `${text.length} characters long`, false);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure([{ path: '(json)', message: `not valid JSON: ${shorten(reason, 200)}` }]);
  }
  return parseScenario(value);
}

/**
 * The error for a scenario text too long to parse, naming the field that holds most of it.
 * `text` may be only the start of it (`cutShort`: what was read of a huge file); `size` says how long it is.
 */
export function scenarioTooLong(text: string, size: string, cutShort: boolean): ParseResult {
  const whole = `the scenario is ${size}; at most ${MAX_SCENARIO_TEXT_CHARS} characters are accepted`;
  const largest = largestTopLevelField(text);
  if (largest === null || largest.chars < MAX_SCENARIO_TEXT_CHARS / 2) return failure([{ path: '(json)', message: whole }]);
  const path = formatPath([largest.key]);
  const count = largest.entries === null ? '' : `${cutShort ? 'at least ' : ''}${largest.entries} entries`;
  if (largest.key === 'events' && largest.entries !== null) {
    return failure([{ path, message: `has ${count}; at most ${LIMITS.eventsMax} are allowed (${whole})` }]);
  }
  const entries = largest.entries === null ? '' : ` (${count})`;
  return failure([{ path, message: `holds most of the text${entries}; ${whole}` }]);
}

/** One line per error, `path: message`, for a terminal or a text box. */
export function formatErrors(errors: readonly ScenarioError[]): string {
  return errors.map((error) => `${error.path}: ${error.message}`).join('\n');
}

// ---- the two passes ------------------------------------------------------------------------

/** An object without the keys zod left `undefined` (optional fields not given). */
function defined<T extends object>(raw: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

type RawStep = NonNullable<z.output<typeof ScenarioSchema>['steps']>[number];

/** A parsed lesson step without the fields left out, its claims and question likewise. */
function stepOf(raw: RawStep): LessonStep {
  const { claims, question, ...rest } = raw;
  const step: LessonStep = defined(rest);
  const withClaims = claims === undefined ? step : { ...step, claims: claims.map((claim) => defined(claim) as LessonClaim) };
  if (question === undefined) return withClaims;
  const choices = question.choices.map(({ claims: choiceClaims, ...choice }) => ({
    ...defined(choice),
    ...(choiceClaims === undefined ? {} : { claims: choiceClaims.map((claim) => defined(claim) as LessonClaim) }),
  }));
  return { ...withClaims, question: { ...defined({ prompt: question.prompt, revealAfterMs: question.revealAfterMs }), choices } };
}

/** A parsed challenge without the bounds left out (zod leaves them `undefined`). */
function challengeOf(raw: NonNullable<z.output<typeof ScenarioSchema>['challenge']>): Challenge {
  const checks = raw.checks.map((check): ChallengeCheck => {
    if ('invariant' in check) return { invariant: check.invariant, ok: check.ok };
    const { figure, atMost, atLeast, equals } = check;
    return { figure, ...(atMost === undefined ? {} : { atMost }), ...(atLeast === undefined ? {} : { atLeast }), ...(equals === undefined ? {} : { equals }) };
  });
  return { goal: raw.goal, checks, editable: raw.editable };
}

interface Context {
  readonly topology: Topology;
  /** null when the duration itself is invalid: event times are then not compared with it. */
  readonly durationMs: number | null;
}

function parseChecked(value: unknown): ParseResult {
  if (!isPlainObject(value)) {
    return failure([{ path: '(scenario)', message: `expected a JSON object with "version": 1, got ${describeValue(value)}` }]);
  }
  const versionError = checkVersion(own(value, 'version'));
  if (versionError) return failure([versionError]);

  const parsed = ScenarioSchema.safeParse(value, { reportInput: true });
  const errors = parsed.success ? [] : issuesToErrors(parsed.error.issues, value);
  const rawEvents = own(value, 'events');
  if (Array.isArray(rawEvents)) checkTimeOrder(rawEvents, errors);

  const context = parsed.success
    ? { topology: parsed.data.topology, durationMs: parsed.data.durationMs }
    : contextOfInvalid(value);
  const events = parsed.success ? parsed.data.events : eventsThatParse(rawEvents);
  const normalized = context ? events.map((event, i) => event && checkEvent(event, ['events', i], context, errors)) : [];

  if (!parsed.success || errors.length > 0) return failure(errors);
  const { $schema: _editorHint, events: _raw, challenge, steps, lessonSummary, ...rest } = parsed.data;
  let scenario: Scenario = { ...rest, events: normalized.filter((event) => event !== null) };
  if (lessonSummary !== undefined) scenario = { ...scenario, lessonSummary };
  if (steps) scenario = { ...scenario, steps: steps.map(stepOf) };
  return { ok: true, scenario: challenge ? { ...scenario, challenge: challengeOf(challenge) } : scenario };
}

function checkVersion(version: unknown): ScenarioError | null {
  if (version === 1) return null;
  if (version === undefined) return { path: 'version', message: 'missing; expected 1 (the only supported version)' };
  return { path: 'version', message: `unsupported version ${describeValue(version)}; supported versions: 1` };
}

/** When the file has errors elsewhere, the events can still be checked if the topology is sound. */
function contextOfInvalid(value: Record<string, unknown>): Context | null {
  const topology = ScenarioSchema.shape.topology.safeParse(own(value, 'topology'));
  if (!topology.success) return null;
  const duration = ScenarioSchema.shape.durationMs.safeParse(own(value, 'durationMs'));
  return { topology: topology.data, durationMs: duration.success ? duration.data : null };
}

function eventsThatParse(rawEvents: unknown): (RawEvent | null)[] {
  if (!Array.isArray(rawEvents)) return [];
  return rawEvents.slice(0, LIMITS.eventsMax).map((event) => {
    const parsed = EventSchema.safeParse(event);
    return parsed.success ? parsed.data : null;
  });
}

function checkTimeOrder(rawEvents: readonly unknown[], errors: ScenarioError[]): void {
  let previousMs: number | null = null;
  rawEvents.forEach((event, i) => {
    const atMs = isPlainObject(event) ? own(event, 'atMs') : undefined;
    if (typeof atMs !== 'number' || !Number.isFinite(atMs)) return;
    if (previousMs !== null && atMs < previousMs) {
      errors.push({
        path: formatPath(['events', i, 'atMs']),
        message: `${atMs} comes before the previous event's ${previousMs}; events must be in time order`,
      });
    }
    previousMs = atMs;
  });
}

// ---- one event against the scenario -------------------------------------------------------

/** Checks what the schema cannot, and returns the normalized event (null if it has errors). */
function checkEvent(event: RawEvent, at: Path, context: Context, errors: ScenarioError[]): ScenarioEvent | null {
  const errorsBefore = errors.length;
  const report = (path: Path, message: string) => errors.push({ path: formatPath([...at, ...path]), message });
  const refs = new RefChecker(context.topology, report);
  if (context.durationMs !== null && event.atMs > context.durationMs) {
    report(['atMs'], `${event.atMs} is after the end of the run (durationMs is ${context.durationMs})`);
  }
  const normalized = checkEventFields(event, context.topology, refs, report);
  return errors.length === errorsBefore ? normalized : null;
}

type Report = (path: Path, message: string) => void;

function checkEventFields(event: RawEvent, topology: Topology, refs: RefChecker, report: Report): ScenarioEvent {
  switch (event.do) {
    case 'crash':
    case 'wipe-disk':
      refs.node(event.node, ['node']);
      return event;
    case 'restart':
      if (event.node === SELECTORS.leader || event.node === SELECTORS.primary) {
        report(['node'], `${event.node} always names a running node; restart a crashed node by its id, or use ${SELECTORS.lastCrashed}`);
      } else refs.node(event.node, ['node']);
      return event;
    case 'promote':
    case 'switchover':
      refs.databaseNode(event.node, ['node'], event.do);
      return event;
    case 'partition':
      refs.groups(event.groups);
      return event;
    case 'cut':
    case 'heal-link':
      refs.link(event.between);
      return event;
    case 'slow-link': {
      refs.link(event.between);
      const latencyMs = typeof event.latencyMs === 'number' ? ([event.latencyMs, event.latencyMs] as const) : event.latencyMs;
      return { ...event, latencyMs };
    }
    case 'heal':
    case 'propose':
      return event;
    case 'region-down':
    case 'region-up':
      return { ...event, region: regionRoleOf(event.region, topology, report) };
    case 'restore-backup':
      refs.databaseNode(event.node, ['node'], 'restore-backup');
      checkBackupStore(event.from, topology, report);
      return event;
    case 'set':
      return { ...event, value: checkSettingValue(event.path, event.value, report) };
  }
}

/** Checks node references against one topology and reports what would be valid instead. */
class RefChecker {
  constructor(
    private readonly topology: Topology,
    private readonly report: Report,
  ) {}

  node(ref: string, path: Path): boolean {
    if (isWellFormedNodeRef(ref, this.topology)) return true;
    this.report(path, badNodeRefMessage(ref, this.topology));
    return false;
  }

  databaseNode(ref: string, path: Path, kind: string): void {
    if (!this.node(ref, path) || ref === SELECTORS.primary || ref === SELECTORS.lastCrashed) return;
    const nodeKind = ref === SELECTORS.leader ? 'orchestrator' : kindOfNodeId(ref, this.topology);
    if (nodeKind !== 'database') {
      this.report(path, `${kind} acts on a database node (${databaseIds(this.topology)} or ${SELECTORS.primary}); ${ref} is ${article(nodeKind ?? 'node')}`);
    }
  }

  link(between: readonly [string, string]): void {
    const bothKnown = [0, 1].map((end) => this.node(between[end]!, ['between', end]));
    if (bothKnown.every(Boolean) && between[0] === between[1]) {
      this.report(['between'], `a link joins two different nodes; both ends are ${JSON.stringify(between[0])}`);
    }
  }

  groups(groups: readonly (readonly string[])[]): void {
    const groupOf = new Map<string, number>();
    groups.forEach((group, g) =>
      group.forEach((ref, k) => {
        const path = ['groups', g, k];
        if (ref !== EVERYONE_ELSE && !this.node(ref, path)) return;
        const earlier = groupOf.get(ref);
        if (earlier === undefined) groupOf.set(ref, g);
        else this.report(path, `${JSON.stringify(ref)} is already in groups[${earlier}]; a partition lists each node at most once`);
      }),
    );
  }
}

function badNodeRefMessage(ref: string, topology: Topology): string {
  if (ref === EVERYONE_ELSE) return '"*" (everyone not named) may only stand inside partition groups';
  if (ref === SELECTORS.leader) return '@leader names the orchestrator leader, but this scenario has no orchestrators';
  if (ref === SELECTORS.primary) return '@primary names the database primary, but this scenario has no database ("database": null)';
  const selectors = selectorsFor(topology);
  const candidates = [...initialNodes(topology).map((node) => node.id), ...selectors];
  const suggestion = closestMatch(ref, candidates);
  const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
  const alternatives = selectors.length > 0 ? ` (or use ${selectors.join(', ')})` : '';
  return `unknown node ${JSON.stringify(shorten(ref))}${hint}; this scenario has ${describeNodeIds(topology)}${alternatives}`;
}

function databaseIds(topology: Topology): string {
  const count = 1 + (topology.database?.standbys.length ?? 0);
  return count === 1 ? 'db-1' : `db-1 … db-${count}`;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** A region may be named by its role key or its display name; the scenario keeps the role key. */
function regionRoleOf(name: string, topology: Topology, report: Report): RegionRole {
  if (name === 'primary' || name === 'dr') return name;
  if (name === topology.regions.primary) return 'primary';
  if (name === topology.regions.dr) return 'dr';
  const names = ['primary', 'dr', topology.regions.primary, topology.regions.dr];
  const suggestion = closestMatch(name, names);
  report(
    ['region'],
    `unknown region ${JSON.stringify(shorten(name))}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; expected ${names.map((n) => JSON.stringify(n)).join(', ')}`,
  );
  return 'primary';
}

function checkBackupStore(from: string, topology: Topology, report: Report): void {
  const stores = initialNodes(topology).filter((node) => node.kind === 'backup').map((node) => node.id);
  if (stores.includes(from)) return;
  if (stores.length === 0) report(['from'], 'this scenario has no backups ("backups": null), so there is nothing to restore from');
  else report(['from'], `unknown backup store ${JSON.stringify(shorten(from))}; expected ${stores.join(' or ')}`);
}

function checkSettingValue(path: string, value: unknown, report: Report): unknown {
  const parsed = SETTING_SCHEMAS[path]!.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const problem of issuesToProblems(parsed.error.issues, ['value'], value)) {
    report(problem.path, `${problem.message} (the value for ${path})`);
  }
  return value;
}

// ---- zod issues in plain words -------------------------------------------------------------

/** An error whose path is still a list of keys. */
interface Problem {
  readonly path: Path;
  readonly message: string;
}

function issuesToErrors(issues: readonly Issue[], root: unknown): ScenarioError[] {
  return issuesToProblems(issues, [], root).map((problem) => ({ path: formatPath(problem.path), message: problem.message }));
}

function issuesToProblems(issues: readonly Issue[], prefix: Path, root: unknown): Problem[] {
  return withoutLooseBounds(issues).flatMap((issue) => issueToProblems(issue, [...prefix, ...issue.path], root));
}

/**
 * A whole number beyond our maximum also breaks `.int()`'s safe-integer bound; saying both
 * is noise, so a safe-integer bound gives way to a tighter one on the same field.
 */
function withoutLooseBounds(issues: readonly Issue[]): readonly Issue[] {
  const isLoose = (issue: Issue) =>
    (issue.code === 'too_big' && issue.maximum === Number.MAX_SAFE_INTEGER) ||
    (issue.code === 'too_small' && issue.minimum === Number.MIN_SAFE_INTEGER);
  const samePath = (a: Issue, b: Issue) => a.path.length === b.path.length && a.path.every((key, i) => key === b.path[i]);
  return issues.filter((issue) => !isLoose(issue) || !issues.some((other) => other !== issue && other.code === issue.code && samePath(other, issue)));
}

function issueToProblems(issue: Issue, path: Path, root: unknown): Problem[] {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: unknownFieldMessage(key, path, root) }));
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) return [{ path, message: eventKindMessage(issue.input) }];
      return unionProblems(issue, path, root);
    default:
      return [{ path, message: issueMessage(issue, path) }];
  }
}

function issueMessage(issue: Issue, path: Path): string {
  const key = path[path.length - 1];
  switch (issue.code) {
    case 'invalid_type':
      return invalidTypeMessage(issue.expected, issue.input, key);
    case 'too_small':
      return sizeMessage('small', issue.origin, Number(issue.minimum), issue.inclusive !== false, issue.input);
    case 'too_big':
      return sizeMessage('big', issue.origin, Number(issue.maximum), issue.inclusive !== false, issue.input);
    case 'invalid_value':
      return oneOfMessage(issue.values, issue.input);
    default:
      return issue.message;
  }
}

function invalidTypeMessage(expected: string, input: unknown, key: PropertyKey | undefined): string {
  if (input === undefined) return `missing; expected ${expectedNoun(expected, key)}`;
  if (typeof input === 'number' && !Number.isFinite(input)) return `expected a finite number, got ${input}`;
  if (expected === 'int' && typeof input === 'number' && Number.isInteger(input)) return `${input} is too large; expected a whole number no bigger than ${Number.MAX_SAFE_INTEGER}`;
  return `expected ${expectedNoun(expected, key)}, got ${describeValue(input)}`;
}

function expectedNoun(expected: string, key: PropertyKey | undefined): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return key === 'database' || key === 'backups' ? 'an object or null' : 'an object';
    case 'array':
      return 'a list [ … ]';
    case 'tuple':
      return key === 'between' ? 'two node ids, like ["orch-1", "orch-2"]' : '[min, max], two whole numbers of milliseconds';
    default:
      return expected;
  }
}

function sizeMessage(which: 'small' | 'big', origin: string, bound: number, inclusive: boolean, input: unknown): string {
  const least = which === 'small';
  if (origin === 'string') {
    const length = typeof input === 'string' ? input.length : 0;
    if (least) return bound <= 1 ? 'must not be empty' : `needs at least ${bound} characters`;
    return `is ${length} characters long; at most ${bound} are allowed`;
  }
  if (origin === 'array') {
    const length = Array.isArray(input) ? input.length : 0;
    return least ? `needs at least ${bound} entries, got ${length}` : `has ${length} entries; at most ${bound} are allowed`;
  }
  const bounds = least ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  return `must be ${bounds} ${bound}, got ${describeValue(input)}`;
}

function oneOfMessage(values: readonly unknown[], input: unknown): string {
  const options = values.map((value) => JSON.stringify(value));
  const suggestion = typeof input === 'string' ? closestMatch(input, values.filter((v): v is string => typeof v === 'string')) : null;
  const hint = suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : '';
  return `expected ${options.length === 1 ? options[0] : `one of ${options.join(', ')}`}, got ${describeValue(input)}${hint}`;
}

function eventKindMessage(event: unknown): string {
  const kinds = `one of ${EVENT_KINDS.join(', ')}`;
  const kind = isPlainObject(event) ? own(event, 'do') : undefined;
  if (kind === undefined) return `missing; every event says what it does with "do": ${kinds}`;
  if (typeof kind !== 'string') return `expected an event kind (${kinds}), got ${describeValue(kind)}`;
  const suggestion = closestMatch(kind, EVENT_KINDS);
  return `unknown event kind ${JSON.stringify(shorten(kind))}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; expected ${kinds}`;
}

/**
 * A plain union (`latencyMs`: a number or a range): report the branch the input was meant
 * for (the one whose type matched), or else name every branch.
 */
function unionProblems(issue: Extract<Issue, { code: 'invalid_union' }>, path: Path, root: unknown): Problem[] {
  const wrongType = (inner: Issue) => inner.code === 'invalid_type' && inner.path.length === 0;
  const meant = issue.errors.find((branch) => branch.length > 0 && !branch.some(wrongType));
  if (meant) return meant.flatMap((inner) => issueToProblems(inner, [...path, ...inner.path], root));
  const key = path[path.length - 1];
  const nouns = issue.errors.flatMap((branch) => branch.filter(wrongType).map((inner) => expectedNounOf(inner, key)));
  return [{ path, message: `expected ${nouns.join(' or ')}, got ${describeValue(issue.input)}` }];
}

function expectedNounOf(issue: Issue, key: PropertyKey | undefined): string {
  return issue.code === 'invalid_type' ? expectedNoun(issue.expected, key) : 'something else';
}

function unknownFieldMessage(key: string, objectPath: Path, root: unknown): string {
  const known = fieldsAt(objectPath, root);
  if (known === null) return 'unknown field';
  const suggestion = closestMatch(key, known);
  return suggestion ? `unknown field; did you mean ${suggestion}?` : `unknown field; the fields here are ${known.join(', ')}`;
}

/** The fields an object at `path` accepts; an event's depend on its `do`. */
function fieldsAt(path: Path, root: unknown): readonly string[] | null {
  const pattern = path.map((key) => (typeof key === 'number' ? '[]' : String(key))).join('.');
  if (pattern === 'events.[]') {
    const kind = own(valueAt(root, path), 'do');
    return typeof kind === 'string' && (EVENT_KINDS as string[]).includes(kind) ? eventFields(kind as EventKindName) : null;
  }
  return FIELDS_AT[pattern] ?? null;
}

// ---- small helpers -------------------------------------------------------------------------

function failure(errors: readonly ScenarioError[]): ParseResult {
  const sorted = [...errors].sort((a, b) => eventIndexOf(a.path) - eventIndexOf(b.path));
  if (sorted.length <= MAX_ERRORS_REPORTED) return { ok: false, errors: sorted };
  const shown = sorted.slice(0, MAX_ERRORS_REPORTED);
  const more = sorted.length - shown.length;
  return { ok: false, errors: [...shown, { path: '(scenario)', message: `… and ${more} more ${more === 1 ? 'error' : 'errors'}` }] };
}

/** Errors outside `events` come first, then each event's in file order. */
function eventIndexOf(path: string): number {
  const match = /^events\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : -1;
}

/** `events[2].node`, `topology.regions.dr`, `settings["odd key"]`. */
export function formatPath(path: Path): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]{0,39}$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(shorten(String(key)))}]`;
  }
  return text === '' ? '(scenario)' : text;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(shorten(value));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function shorten(text: string, charsMax = 40): string {
  return text.length <= charsMax ? text : `${text.slice(0, charsMax - 1)}…`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Reads an own property only: a key like "__proto__" or "constructor" never reaches a prototype. */
function own(value: unknown, key: PropertyKey): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((value, key) => own(value, key), root);
}

/** The candidate a typo most likely meant, or null when none is close. */
function closestMatch(word: string, candidates: readonly string[]): string | null {
  if (word.length === 0 || word.length > 64) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (best === null) return null;
  const allowed = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= allowed ? best : null;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
