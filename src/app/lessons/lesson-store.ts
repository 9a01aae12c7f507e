/**
 * The lesson on screen: its steps (carried by the recorded scenario the worker sends), the
 * learner's progress and the node the current step points at. It listens to the page's store:
 * each frame moves the clock (steps with `atMs`), each new recorded action may complete a step,
 * and every change is saved so a reload finds the lesson where it was.
 */
import { create } from 'zustand';
import { fillLive, judgeClaims, resolveRef, type ClaimResult, type LessonMoment, type LessonStep, type ScenarioEvent } from '../../sim';
import { parseMarkdown, type Inline } from '../markdown/parse';
import { commands, lessonProgressKept, lessonProgressRestorable } from '../store/engine';
import { select, useSim, type SimState } from '../store/sim-store';
import { noteFinished, notePrediction } from './course-store';
import { loadProgress, savePrediction, saveProgress } from './progress-storage';
import {
  START,
  afterAction,
  askedFor,
  countEarly,
  followRun,
  followTime,
  lessonKey,
  newEvents,
  otherNodeWords,
  resolveNode,
  runSignature,
  sanitize,
  stepBack,
  stepAtMoment,
  stepForward,
  type ActionSeen,
  type LessonProgress,
  type NodeLook,
} from './steps';

/** A question's pick and, once revealed, which answers held on the run. */
export interface Asked {
  readonly picked: number;
  readonly atMs: number;
  /** The choices whose claims held at the reveal (null until revealed). */
  readonly held: readonly number[] | null;
}

export interface LessonState {
  readonly steps: readonly LessonStep[];
  readonly progress: LessonProgress;
  /** The node the current step points at, now (null when it names none or none fits at this moment). */
  readonly target: string | null;
  /** The latest step change in words, for the page's live region ("Lesson step 2 of 5: …"). */
  readonly said: string;
  /** The current step's claims judged on the moment on screen. */
  readonly results: readonly ClaimResult[];
  /** A step that began with the learner acting on another node than asked: that step's index and the answer in words. */
  readonly note: { readonly index: number; readonly text: string } | null;
  /** Each question asked so far, by step index. */
  readonly asked: Readonly<Record<number, Asked>>;
  /** The step at which the learner chose to go on with a run the lesson's last step does not describe. */
  readonly wentOn: number | null;
  /** The lesson's closing summary ("what you saw"), when it has one. */
  readonly summary: string | null;
  /** The current step was joined part-way, by a link's moment or a seek: its index and the moment joined. */
  readonly joined: { readonly index: number; readonly atMs: number } | null;
}

export const useLesson = create<LessonState>(() => ({ steps: [], progress: START, target: null, said: '', results: [], note: null, asked: {}, wentOn: null, summary: null, joined: null }));

/** Which lesson and run the progress belongs to, and what the clock and the step's node were last seen as. */
let lesson: string | null = null;
let run = '';
let restored = false;
let firstFrame = true;
let lastNowMs = 0;
/** The log's resets seen so far: a new one with a frame is a load or a seek (the clock jumped). */
let seenResets = 0;
/**
 * The step on screen came from a link's moment, not from the learner: a link opened at a lesson's
 * last step does not count the lesson finished until they play on, act, or press Next or Back in
 * this run. (The step is saved all the same, as the step of the run on screen, so that a reload of
 * that run reopens on it.)
 */
let borrowed = false;
/** The run's actions when it opened (a `#s=` link's clicks, a scenario's events), by their words. */
let opened: ReadonlySet<string> = new Set();
/** The actions the run on screen still holds from when it opened, not the learner's own since; worked out once per recorded run, not at every frame. */
let carriedOf: { readonly events: readonly ScenarioEvent[]; readonly carried: readonly ScenarioEvent[] } | null = null;
function carried(s: SimState): readonly ScenarioEvent[] {
  const events = s.recorded?.events ?? [];
  if (carriedOf?.events !== events) carriedOf = { events, carried: events.filter((e) => opened.has(JSON.stringify(e))) };
  return carriedOf.carried;
}
/** The id the step's node stood for when last seen: `@leader` is gone from the screen once the learner crashed it. */
let lastTarget: string | null = null;
/** The learner's actions that completed no step yet: one may count when the step asking for it comes. */
let pending: readonly ActionSeen[] = [];
/** A rewind is on its way: the recorded run it brings back is this lesson's, not a new one. */
let rewinding = false;
/** The step whose question paused the run (once per step, so Play still plays). */
let pausedFor: number | null = null;
/**
 * The answers the stops last sent to the worker were worked out from (see `sendStops`). A pick or a
 * reveal replaces them, and so does a load (a new lesson starts with new, empty answers); a frame does not.
 */
let stopsFor: LessonState['asked'] | null = null;

function plainInline(nodes: readonly Inline[]): string {
  return nodes.map((node) => (node.kind === 'text' || node.kind === 'code' ? node.text : plainInline(node.children))).join('');
}

/** The step's text without its markup, for the live region. */
export function plainText(source: string): string {
  return parseMarkdown(source)
    .map((block) => (block.kind === 'paragraph' ? plainInline(block.children) : block.items.map(plainInline).join('; ')))
    .join(' ');
}

function looks(s: SimState): NodeLook[] {
  return s.nodeIds.map((id) => {
    const node = s.nodesById[id]!;
    return { id, role: node.view.role, up: node.up };
  });
}

function announce(steps: readonly LessonStep[], index: number): void {
  const step = steps[index];
  if (step) useLesson.setState({ said: `Lesson step ${index + 1} of ${steps.length}: ${plainText(fillLive(step.text, useSim.getState().moment))}` });
}

/** Sets the new progress: saved, announced when the step changed, the step's node forgotten. */
function setProgress(progress: LessonProgress): void {
  const { steps, progress: old } = useLesson.getState();
  if (progress === old) return;
  useLesson.setState({ progress });
  if (lesson && lessonProgressKept()) saveProgress(lesson, { ...progress, run });
  if (progress.index !== old.index) {
    if (progress.index === steps.length - 1 && !borrowed) void noteFinished(useSim.getState().recorded?.title ?? '');
    if (useLesson.getState().joined?.index !== progress.index) useLesson.setState({ joined: null });
    lastTarget = null;
    const note = useLesson.getState().note;
    if (note && note.index !== progress.index) useLesson.setState({ note: null });
    if (useLesson.getState().wentOn !== null) useLesson.setState({ wentOn: null });
    announce(steps, progress.index);
    refreshTarget(useSim.getState());
  }
}

function refreshTarget(s: SimState): void {
  const { steps, progress } = useLesson.getState();
  const step = steps[progress.index];
  // A selector is resolved on the moment (the node the script's `@leader` crash took down is `@last-crashed` too).
  const target = s.moment && step?.node?.startsWith('@') ? resolveRef(step.node, s.moment) : resolveNode(step?.node, looks(s), s.recorded?.events ?? [], s.nowMs);
  if (target !== null) lastTarget = target;
  if (target !== useLesson.getState().target) useLesson.setState({ target });
}

/** A run was (re)loaded: its lesson, and the progress saved for this very run if there is one. */
function openLesson(s: SimState): void {
  const steps = s.recorded?.steps ?? [];
  const events = s.recorded?.events ?? [];
  lesson = steps.length > 0 ? lessonKey(s.recorded?.title ?? '', steps) : null;
  run = runSignature(events);
  opened = new Set(events.map((e) => JSON.stringify(e)));
  carriedOf = null;
  // A link's moment (`&t=`) or an embed shows the step for the moment on screen, whatever was saved.
  const saved = lesson && lessonProgressRestorable() ? loadProgress(lesson) : null;
  restored = saved !== null && saved.run === run;
  borrowed = !restored && !lessonProgressRestorable() && lessonProgressKept();
  firstFrame = true;
  seenResets = s.logResets;
  lastTarget = null;
  pending = [];
  pausedFor = null;
  useLesson.setState({
    steps,
    progress: restored && saved ? sanitize(saved, steps) : START,
    target: null,
    said: '',
    results: [],
    note: null,
    asked: {},
    wentOn: null,
    summary: s.recorded?.lessonSummary ?? null,
    joined: null,
  });
}

/** What the step selectors named and the acted node's role, on the moment before the action. */
function seenOf(event: ScenarioEvent, moment: LessonMoment | null): ActionSeen {
  const was: Record<string, string | null> = {};
  for (const selector of ['@leader', '@primary', '@last-crashed']) was[selector] = moment ? resolveRef(selector, moment) : null;
  const node = 'node' in event && moment ? moment.nodes.find((n) => n.id === event.node) : undefined;
  return { event, was, role: node ? (node.up ? node.role : 'down') : null };
}

/** The learner plays on, acts or steps in this run: the step on screen is theirs from now on, and counts. */
function own(): void {
  if (!borrowed) return;
  borrowed = false;
  const { steps, progress } = useLesson.getState();
  if (progress.index === steps.length - 1) void noteFinished(useSim.getState().recorded?.title ?? '');
}

function onActions(s: SimState, previous: readonly ScenarioEvent[]): void {
  own();
  run = runSignature(s.recorded?.events ?? []);
  const { steps } = useLesson.getState();
  let progress = useLesson.getState().progress;
  for (const event of newEvents(previous, s.recorded?.events ?? [])) {
    const step = steps[progress.index];
    const seen = seenOf(event, s.moment);
    const target = step && step.node?.startsWith('@') ? (askedFor(step, seen) || lastTarget) : (lastTarget ?? resolveNode(step?.node, looks(s), s.recorded?.events ?? [], event.atMs));
    const moved = afterAction(steps, progress, event, target);
    const other = step && moved.index === progress.index && progress.index + 1 < steps.length ? otherNodeWords(step, seen) : null;
    if (moved.index !== progress.index) progress = moved;
    else if (other) {
      // Done on another node than asked: the step is done all the same, and the next one says so and checks what it claims.
      progress = { index: progress.index + 1, marks: [...moved.marks, Math.max(event.atMs, moved.marks[progress.index]!)] };
      useLesson.setState({ note: { index: progress.index, text: other } });
    } else {
      progress = moved;
      pending = [...pending, seen];
    }
    const early = countEarly(steps, progress, pending, s.nowMs);
    progress = early.progress;
    pending = early.pending;
  }
  if (progress === useLesson.getState().progress) {
    if (lesson && lessonProgressKept()) saveProgress(lesson, { ...progress, run });
  } else setProgress(progress);
}

/** The current step's claims on the moment on screen; kept as they were when nothing changed, so the card does not redraw. */
function judge(s: SimState): void {
  const { steps, progress, results } = useLesson.getState();
  const step = steps[progress.index];
  const claims = step?.claims ?? [];
  const next = s.moment && claims.length > 0 ? judgeClaims(claims, s.moment, s.nowMs - progress.marks[progress.index]!) : [];
  const key = (list: readonly ClaimResult[]) => list.map((r) => `${r.status}|${r.actual}|${r.why ?? ''}`).join('\n');
  if (key(next) !== key(results)) useLesson.setState({ results: next });
}

/**
 * The worker stops the clock at each unanswered question's time, so a fast run cannot play past it
 * between two frames (a question reached by the learner's action is paused for in `followQuestions`).
 * Worked out and sent again only when the lesson or its answers change, not at every frame.
 */
function sendStops(): void {
  const { steps, asked } = useLesson.getState();
  if (asked === stopsFor) return;
  stopsFor = asked;
  commands.setStops(steps.flatMap((step, i) => (step.question && step.atMs !== undefined && asked[i] === undefined ? [step.atMs] : [])));
  // However fast the run plays and however slowly the page draws, each timed step's card is drawn.
  commands.setMarks(steps.flatMap((step) => (step.atMs !== undefined ? [step.atMs] : [])));
}

/** A question pauses the run when its step comes, until a pick; a pick is revealed when the step ends or after `revealAfterMs`. */
function followQuestions(s: SimState): void {
  sendStops();
  const { steps, progress, asked } = useLesson.getState();
  const question = steps[progress.index]?.question;
  if (question && asked[progress.index] === undefined && s.playing && pausedFor !== progress.index) {
    pausedFor = progress.index;
    commands.pause();
  }
  for (const [key, entry] of Object.entries(asked)) {
    const index = Number(key);
    const q = steps[index]?.question;
    if (!q || entry.held !== null || !s.moment) continue;
    const due = progress.index > index || (q.revealAfterMs !== undefined && s.nowMs >= entry.atMs + q.revealAfterMs);
    if (!due) continue;
    const moment = s.moment;
    const held = q.choices.flatMap((choice, i) => (judgeClaims(choice.claims ?? [], moment, Number.POSITIVE_INFINITY).every((r) => r.status === 'holds') ? [i] : []));
    useLesson.setState({ asked: { ...useLesson.getState().asked, [index]: { ...entry, held } } });
    // The course counts it (kept in this browser, or only while an embed is open).
    if (lesson) void notePrediction(useSim.getState().recorded?.title ?? '', index, held.includes(entry.picked));
    if (lesson && lessonProgressKept()) {
      savePrediction(lesson, {
        step: index,
        picked: q.choices[entry.picked]!.label,
        held: held.includes(entry.picked),
        answer: held.length === 1 ? q.choices[held[0]!]!.label : null,
      });
    }
  }
}

function onFrame(s: SimState): void {
  const { steps, progress } = useLesson.getState();
  const opening = firstFrame;
  const prevMs = firstFrame ? (restored ? null : -1) : lastNowMs;
  const jumped = opening || s.logResets !== seenResets;
  firstFrame = false;
  seenResets = s.logResets;
  lastNowMs = s.nowMs;
  if (s.playing) own();
  // A run opened at a moment this browser has no progress for: the step for that moment, the actions the run holds included.
  let next = opening && !restored ? stepAtMoment(steps, s.recorded?.events ?? [], s.nowMs) : followTime(steps, progress, prevMs, s.nowMs);
  // Played or sought forward past a click the link carried: it counts for the step that waits for it, as it did live.
  if (!opening && prevMs !== null && s.nowMs > prevMs) next = followRun(steps, next, carried(s), prevMs, s.nowMs);
  if (next.index !== progress.index) {
    const early = countEarly(steps, next, pending, s.nowMs);
    next = early.progress;
    pending = early.pending;
  }
  setProgress(next);
  if (jumped && !(opening && restored)) {
    // Joined part-way (a link's moment or a seek): the card says when the step began. Not for a step
    // that waits for an action: nothing it asks for has happened yet, and what it says holds now.
    const { index, marks } = useLesson.getState().progress;
    const partWay = s.nowMs > marks[index]! && steps[index]?.action === undefined;
    useLesson.setState({ joined: partWay ? { index, atMs: s.nowMs } : null });
  }
  refreshTarget(s);
  judge(s);
  followQuestions(s);
}

useSim.subscribe((s, prev) => {
  if (s.recorded !== prev.recorded && s.recorded) {
    // A new session reports no action yet: a load, a reload or a restarted worker (not a lesson's own rewind).
    if ((s.actionCount === 0 && !rewinding) || !prev.recorded) openLesson(s);
    else if (lesson) onActions(s, prev.recorded.events);
    rewinding = false;
  }
  if (lesson && s.nodesById !== prev.nodesById && s.status === 'running') onFrame(s);
});
// The page's code arrives after the worker has started (it is loaded on demand): a run may already be on screen.
if (useSim.getState().recorded) {
  openLesson(useSim.getState());
  if (lesson && useSim.getState().status === 'running') onFrame(useSim.getState());
}

export function nextStep(): void {
  own();
  const { steps, progress } = useLesson.getState();
  // A whole millisecond: a reload reopens the run at the autosaved whole millisecond, which must not fall before the mark.
  setProgress(stepForward(steps, progress, Math.floor(useSim.getState().nowMs)));
}

export function previousStep(): void {
  own();
  setProgress(stepBack(useLesson.getState().progress));
}

/**
 * "Rewind to where this step began": back to the moment the step became current, the learner's
 * actions up to then replayed and those after forgotten. A step that began with an action on
 * another node than asked rewinds to just before that action, on the step that asked for it.
 */
export function rewindStep(): void {
  const { progress, note } = useLesson.getState();
  const began = note !== null && note.index === progress.index && progress.index > 0;
  const index = began ? progress.index - 1 : progress.index;
  const atMs = progress.marks[progress.index]!;
  rewinding = true;
  pending = pending.filter((p) => p.event.atMs < atMs);
  useLesson.setState({ note: null, wentOn: null });
  setProgress({ index, marks: progress.marks.slice(0, index + 1) });
  commands.rewind(atMs, !began);
}

/** "Go on from here": the learner keeps the run as it went; the next step, or the lesson's end for this run. */
export function goOn(): void {
  const { steps, progress } = useLesson.getState();
  if (progress.index + 1 < steps.length) nextStep();
  else useLesson.setState({ wentOn: progress.index });
}

/** The learner's prediction for the current step's question: kept, and the run plays on to show the answer. */
export function pick(choice: number): void {
  const { progress, asked } = useLesson.getState();
  if (asked[progress.index] !== undefined) return;
  useLesson.setState({ asked: { ...asked, [progress.index]: { picked: choice, atMs: useSim.getState().nowMs, held: null } } });
  commands.play();
}

/** Selects the node the current step points at (and focuses it), so a key can act on it. */
export function selectStepNode(): boolean {
  const target = useLesson.getState().target;
  if (!target) return false;
  select({ kind: 'node', id: target });
  document.querySelector<HTMLElement>(`[data-node-id="${target}"]`)?.focus();
  return true;
}

/** Whether the current run is a lesson (it has steps). */
export function hasLesson(): boolean {
  return useLesson.getState().steps.length > 0;
}

/** For NodeShell: whether this node is the one the current step points at. */
export function useIsLessonTarget(id: string): boolean {
  return useLesson((s) => s.target === id);
}
