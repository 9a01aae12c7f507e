/**
 * Which lesson step is current, as pure functions of the lesson's steps, the learner's actions
 * and the simulated time. The store (lesson-store.ts) only feeds them what the worker reports.
 *
 * Progress is the current index and, for every step reached so far, the simulated time it was
 * reached (its mark). Time can run backwards (a seek), so the marks let the narrative rewind with
 * the clock and, as the recorded actions replay, come forward again to where the learner was:
 * marks beyond the current index are that remembered future. A new action forks the run (the
 * session drops recorded actions later than now), so it drops the remembered future too.
 */
import type { LessonStep, ScenarioEvent } from '../../sim';

export interface LessonProgress {
  readonly index: number;
  /** marks[i]: the simulated time step i became current; marks.length > index. */
  readonly marks: readonly number[];
}

export const START: LessonProgress = { index: 0, marks: [0] };

/** A node as the step logic needs it: its id, role word and whether it runs. */
export interface NodeLook {
  readonly id: string;
  readonly role: string;
  readonly up: boolean;
}

function clampIndex(index: number, steps: readonly LessonStep[]): number {
  return Math.max(0, Math.min(index, steps.length - 1));
}

/** Keeps a progress read from storage (or from an older version of the lesson) inside the lesson. */
export function sanitize(progress: LessonProgress, steps: readonly LessonStep[]): LessonProgress {
  if (steps.length === 0) return START;
  const marks = progress.marks.filter((m) => Number.isFinite(m) && m >= 0).slice(0, steps.length);
  const index = clampIndex(Math.min(progress.index, marks.length - 1), steps);
  return marks.length === 0 ? START : { index, marks };
}

/**
 * Follows the clock from `prevMs` to `nowMs` (prevMs null: the run just opened, so no time was
 * crossed). Going back before the current step's mark returns to the step current then. Going
 * forward replays remembered marks and enters each step whose `atMs` the clock crossed, unless
 * the current step still waits for the learner's action.
 */
export function followTime(steps: readonly LessonStep[], progress: LessonProgress, prevMs: number | null, nowMs: number): LessonProgress {
  let { index } = progress;
  let marks = progress.marks;
  while (index > 0 && nowMs < marks[index]!) index--;
  for (;;) {
    const next = steps[index + 1];
    if (!next) break;
    const remembered = marks[index + 1];
    if (remembered !== undefined && remembered <= nowMs) {
      index++;
      continue;
    }
    const crossed = next.atMs !== undefined && prevMs !== null && prevMs < next.atMs && next.atMs <= nowMs;
    if (!crossed || steps[index]!.action !== undefined) break;
    marks = [...marks.slice(0, index + 1), next.atMs!];
    index++;
  }
  return index === progress.index && marks === progress.marks ? progress : { index, marks };
}

/**
 * The step for a moment the learner did not walk to: a run opened at a link's moment (`&t=`, or an
 * embed's **Open in playground**) with no progress of this browser's for it. The lesson is followed
 * from 0 s as it would have been live, on what the run holds up to `nowMs`:
 * - a step that waits for nothing (the first, "Press Play", included) gives way to the next at
 *   that step's `atMs`; a next step without `atMs` only comes by Next, so it is not assumed;
 * - a step that waits for an action gives way only when the run holds that action (a click
 *   recorded in the link) after the step began and no later than the moment; on any node, as live,
 *   where the same action on another node completes the step too. An action the run does not hold
 *   is one the learner has not done: the step stays and says what to do.
 * A step that waits for Play is therefore current until the next step's time, and the card says
 * it was joined part-way (see `joinedWords`) rather than skip ahead to a step that tells of later.
 */
export function stepAtMoment(steps: readonly LessonStep[], events: readonly ScenarioEvent[], nowMs: number): LessonProgress {
  return followRun(steps, START, events, Number.NEGATIVE_INFINITY, nowMs);
}

/**
 * The clock went forward from `sinceMs` to `nowMs` while the step on screen waits for an action
 * that the run already holds (a click carried in a `#s=` link, replayed as the run plays or as a
 * seek crosses it): the step gives way as it would have live, at the action's time, and so do the
 * steps after it, by the rules of `stepAtMoment`. Only actions after `sinceMs` count: one the
 * clock had passed before was counted then.
 */
export function followRun(steps: readonly LessonStep[], from: LessonProgress, events: readonly ScenarioEvent[], sinceMs: number, nowMs: number): LessonProgress {
  let { index, marks } = from;
  const used = new Set<ScenarioEvent>();
  let after = Number.NEGATIVE_INFINITY;
  for (;;) {
    const step = steps[index];
    const next = steps[index + 1];
    if (!step || !next) break;
    const mark = marks[index]!;
    let at: number | null = null;
    if (step.action !== undefined) {
      const done = events.find((e) => !used.has(e) && e.do === step.action && e.atMs > sinceMs && e.atMs >= Math.max(mark, after) && e.atMs <= nowMs);
      if (done) {
        used.add(done);
        at = done.atMs;
        after = done.atMs;
      }
    } else if (next.atMs !== undefined && next.atMs >= mark && next.atMs <= nowMs) at = next.atMs;
    if (at === null) break;
    marks = [...marks.slice(0, index + 1), Math.max(at, mark)];
    index++;
  }
  return index === from.index && marks === from.marks ? from : { index, marks };
}

/**
 * What the card says when the learner joined its step part-way (a link's moment or a seek put the
 * clock past the moment the step began): when it began, so that a step written for its start
 * ("Press Play", "watch what happens next") is not read as the state of the run on screen.
 * Null when the step was joined at its start. The store asks only for a step that waits for no
 * action: one that waits for the learner is joined before anything it asks for has happened.
 */
export function joinedWords(stepBeganMs: number, joinedAtMs: number, format: (ms: number) => string): string | null {
  if (joinedAtMs <= stepBeganMs) return null;
  const began = stepBeganMs === 0 ? 'the start of the run' : format(stepBeganMs);
  return `You joined at ${format(joinedAtMs)}, part-way through this step (it began at ${began}): some of what it describes has already happened.`;
}

/** The node an action names, when it names one (a partition or a cut names several; see `touches`). */
function nodesOf(event: ScenarioEvent): readonly string[] {
  switch (event.do) {
    case 'crash':
    case 'restart':
    case 'wipe-disk':
    case 'promote':
    case 'switchover':
    case 'restore-backup':
      return [event.node];
    case 'cut':
    case 'heal-link':
    case 'slow-link':
      return event.between;
    case 'partition':
      return event.groups.flat();
    default:
      return [];
  }
}

/**
 * Whether `event` is what `step` asks for. `target` is the id the step's node stood for when the
 * learner acted (a selector such as `@leader` is resolved by the caller, from what was on screen);
 * null means the step names no node, or one that cannot be told, and then any node will do.
 */
export function actionMatches(step: LessonStep, event: ScenarioEvent, target: string | null): boolean {
  if (step.action === undefined || step.action !== event.do) return false;
  if (step.node === undefined || target === null) return true;
  const named = nodesOf(event);
  return named.length === 0 || named.includes(target);
}

/** The learner acted: the step that asked for this action is done, and any remembered future is gone. */
export function afterAction(steps: readonly LessonStep[], progress: LessonProgress, event: ScenarioEvent, target: string | null): LessonProgress {
  const marks = progress.marks.slice(0, progress.index + 1);
  const step = steps[progress.index];
  if (step && progress.index + 1 < steps.length && actionMatches(step, event, target)) {
    return { index: progress.index + 1, marks: [...marks, Math.max(event.atMs, marks[progress.index]!)] };
  }
  return marks.length === progress.marks.length ? progress : { index: progress.index, marks };
}

/** The Next button: the following step, reached now. */
export function stepForward(steps: readonly LessonStep[], progress: LessonProgress, nowMs: number): LessonProgress {
  if (progress.index + 1 >= steps.length) return progress;
  const marks = progress.marks.slice(0, progress.index + 1);
  return { index: progress.index + 1, marks: [...marks, Math.max(nowMs, marks[progress.index]!)] };
}

/** The Back button: the previous step; the one left is forgotten, so the clock does not bring it back. */
export function stepBack(progress: LessonProgress): LessonProgress {
  if (progress.index === 0) return progress;
  return { index: progress.index - 1, marks: progress.marks.slice(0, progress.index) };
}

/**
 * The events in `next` that were not in `previous` (the learner's new actions), compared as a
 * multiset of their JSON so that a repeated action counts again and dropped ones are ignored.
 */
export function newEvents(previous: readonly ScenarioEvent[], next: readonly ScenarioEvent[]): ScenarioEvent[] {
  const left = new Map<string, number>();
  for (const event of previous) {
    const key = canonicalJson(event);
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  const added: ScenarioEvent[] = [];
  for (const event of next) {
    const key = canonicalJson(event);
    const count = left.get(key) ?? 0;
    if (count > 0) left.set(key, count - 1);
    else added.push(event);
  }
  return added;
}

/**
 * The node a step points at now: an id as written (if the node exists), `@leader` the running
 * leader, `@primary` the running primary, `@last-crashed` the node of the latest crash or wiped
 * disk at or before now. Null when there is none at this moment.
 */
export function resolveNode(ref: string | undefined, nodes: readonly NodeLook[], events: readonly ScenarioEvent[], nowMs: number): string | null {
  if (ref === undefined) return null;
  const running = (role: string) => nodes.find((n) => n.up && n.role === role)?.id ?? null;
  if (ref === '@leader') return running('leader');
  if (ref === '@primary') return running('primary');
  if (ref === '@last-crashed') {
    const crashed = events.filter((e) => (e.do === 'crash' || e.do === 'wipe-disk') && e.atMs <= nowMs && !e.node.startsWith('@'));
    const last = crashed[crashed.length - 1];
    return last && 'node' in last ? last.node : null;
  }
  return nodes.some((n) => n.id === ref) ? ref : null;
}

/** A short, stable fingerprint of a text (FNV-1a), for storage keys and for telling runs apart. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** Which lesson this is: its title and its steps, so that an edited lesson starts afresh. */
export function lessonKey(title: string, steps: readonly LessonStep[]): string {
  return `${title.slice(0, 80)}#${fingerprint(canonicalJson(steps))}`;
}

/** JSON with every object's keys sorted: a recorded event and the same event read back from a saved file give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Which run this is: its recorded events. A reload reopens the same events; a fresh open of the preset does not, once the learner acted. */
export function runSignature(events: readonly ScenarioEvent[]): string {
  return fingerprint(canonicalJson(events));
}

// ---- following what the learner did ----------------------------------------------------------

/** A learner's action as it was done: the event, and what the step selectors named at that moment. */
export interface ActionSeen {
  readonly event: ScenarioEvent;
  /** `@leader`, `@primary`, `@last-crashed` → the node each named just before the action (null: none). */
  readonly was: Readonly<Record<string, string | null>>;
  /** The role of the node acted on, just before the action (`leader`, `follower`, `standby`, `down`…), when it names one node. */
  readonly role: string | null;
}

/** The node a step asked for when `seen` was done: an id as written, a selector as it resolved then; null when the step names none. */
export function askedFor(step: LessonStep, seen: ActionSeen): string | null {
  if (step.node === undefined) return null;
  if (!step.node.startsWith('@')) return step.node;
  return seen.was[step.node] ?? '';
}

const DONE_WORDS: Readonly<Record<string, string>> = {
  crash: 'crashed',
  restart: 'restarted',
  'wipe-disk': 'wiped the disk of',
  promote: 'promoted',
  switchover: 'switched over to',
  'restore-backup': 'restored',
};

const SELECTOR_WORDS: Readonly<Record<string, string>> = { '@leader': 'the leader', '@primary': 'the primary', '@last-crashed': 'the node crashed last' };

function roleWords(role: string | null): string {
  if (role === null) return '';
  if (role === 'leader' || role === 'primary') return `, the ${role}`;
  if (role === 'down') return ', which was down';
  return `, a ${role}`;
}

/**
 * When the learner did what a step asks but on another node than the one it names: the answer in
 * words ("You crashed orch-2, a follower; the lesson asked for the leader, orch-3."). Null when
 * the action is not of the step's kind, or is on the node asked for.
 */
export function otherNodeWords(step: LessonStep, seen: ActionSeen): string | null {
  const { event } = seen;
  if (step.action === undefined || step.action !== event.do || step.node === undefined || !('node' in event)) return null;
  const asked = askedFor(step, seen);
  if (asked === event.node) return null;
  const done = DONE_WORDS[event.do] ?? `used ${event.do} on`;
  const selector = SELECTOR_WORDS[step.node];
  const wanted = selector ? `${selector}${asked ? `, ${asked}` : ' (there was none at that moment)'}` : step.node;
  return `You ${done} ${event.node}${roleWords(seen.role)}; the lesson asked for ${wanted}.`;
}

/**
 * Actions done before the step that asks for them was current count when it comes: from the
 * current step on, each step that waits for an action takes the earliest one, no later than now,
 * that is what it asks (on the node its selector named at the time) and comes after whatever
 * completed the previous action step (so early actions count in the order they were done).
 * Returns the progress and the actions left.
 */
export function countEarly(
  steps: readonly LessonStep[],
  progress: LessonProgress,
  pending: readonly ActionSeen[],
  nowMs: number,
): { progress: LessonProgress; pending: readonly ActionSeen[] } {
  let left = pending.filter((p) => p.event.atMs <= nowMs);
  let floor = 0;
  for (let i = progress.index - 1; i >= 0; i--) {
    if (steps[i]!.action !== undefined) {
      floor = progress.marks[i + 1]!;
      break;
    }
  }
  for (;;) {
    const step = steps[progress.index];
    if (!step || step.action === undefined || progress.index + 1 >= steps.length) break;
    const found = left.find((p) => p.event.atMs >= floor && actionMatches(step, p.event, askedFor(step, p)));
    if (!found) break;
    left = left.filter((p) => p !== found);
    floor = found.event.atMs;
    const mark = progress.marks[progress.index]!;
    progress = { index: progress.index + 1, marks: [...progress.marks.slice(0, progress.index + 1), mark] };
  }
  return { progress, pending: left };
}

/**
 * Whether the lesson's summary ("What you saw") shows: on the last step, once every claim of that
 * step holds. While one still waits (the replacement it tells of has yet to happen) the summary
 * would state what the run on screen does not show yet; when one fails, the run went its own way.
 */
export function summaryShows(last: boolean, results: readonly { readonly status: 'holds' | 'fails' | 'waiting' }[]): boolean {
  return last && results.every((r) => r.status === 'holds');
}
