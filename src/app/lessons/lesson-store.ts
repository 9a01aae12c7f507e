/**
 * The lesson on screen: its steps (carried by the recorded scenario the worker sends), the
 * learner's progress and the node the current step points at. It listens to the page's store:
 * each frame moves the clock (steps with `atMs`), each new recorded action may complete a step,
 * and every change is saved so a reload finds the lesson where it was.
 */
import { create } from 'zustand';
import type { LessonStep, ScenarioEvent } from '../../sim';
import { parseMarkdown, type Inline } from '../markdown/parse';
import { lessonProgressKept, lessonProgressRestorable } from '../store/engine';
import { select, useSim, type SimState } from '../store/sim-store';
import { noteFinished } from './course-store';
import { loadProgress, saveProgress } from './progress-storage';
import { START, afterAction, followTime, lessonKey, newEvents, resolveNode, runSignature, sanitize, stepBack, stepForward, type LessonProgress, type NodeLook } from './steps';

export interface LessonState {
  readonly steps: readonly LessonStep[];
  readonly progress: LessonProgress;
  /** The node the current step points at, now (null when it names none or none fits at this moment). */
  readonly target: string | null;
  /** The latest step change in words, for the page's live region ("Lesson step 2 of 5: …"). */
  readonly said: string;
}

export const useLesson = create<LessonState>(() => ({ steps: [], progress: START, target: null, said: '' }));

/** Which lesson and run the progress belongs to, and what the clock and the step's node were last seen as. */
let lesson: string | null = null;
let run = '';
let restored = false;
let firstFrame = true;
let lastNowMs = 0;
/** The id the step's node stood for when last seen: `@leader` is gone from the screen once the learner crashed it. */
let lastTarget: string | null = null;

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
  if (step) useLesson.setState({ said: `Lesson step ${index + 1} of ${steps.length}: ${plainText(step.text)}` });
}

/** Sets the new progress: saved, announced when the step changed, the step's node forgotten. */
function setProgress(progress: LessonProgress): void {
  const { steps, progress: old } = useLesson.getState();
  if (progress === old) return;
  useLesson.setState({ progress });
  if (lesson && lessonProgressKept()) saveProgress(lesson, { ...progress, run });
  if (progress.index !== old.index) {
    if (progress.index === steps.length - 1) void noteFinished(useSim.getState().recorded?.title ?? '');
    lastTarget = null;
    announce(steps, progress.index);
    refreshTarget(useSim.getState());
  }
}

function refreshTarget(s: SimState): void {
  const { steps, progress } = useLesson.getState();
  const step = steps[progress.index];
  const target = resolveNode(step?.node, looks(s), s.recorded?.events ?? [], s.nowMs);
  if (target !== null) lastTarget = target;
  if (target !== useLesson.getState().target) useLesson.setState({ target });
}

/** A run was (re)loaded: its lesson, and the progress saved for this very run if there is one. */
function openLesson(s: SimState): void {
  const steps = s.recorded?.steps ?? [];
  const events = s.recorded?.events ?? [];
  lesson = steps.length > 0 ? lessonKey(s.recorded?.title ?? '', steps) : null;
  run = runSignature(events);
  // A link's moment (`&t=`) or an embed shows the step for the moment on screen, whatever was saved.
  const saved = lesson && lessonProgressRestorable() ? loadProgress(lesson) : null;
  restored = saved !== null && saved.run === run;
  firstFrame = true;
  lastTarget = null;
  useLesson.setState({ steps, progress: restored && saved ? sanitize(saved, steps) : START, target: null, said: '' });
}

function onActions(s: SimState, previous: readonly ScenarioEvent[]): void {
  run = runSignature(s.recorded?.events ?? []);
  const { steps } = useLesson.getState();
  let progress = useLesson.getState().progress;
  for (const event of newEvents(previous, s.recorded?.events ?? [])) {
    const step = steps[progress.index];
    const target = lastTarget ?? resolveNode(step?.node, looks(s), s.recorded?.events ?? [], event.atMs);
    progress = afterAction(steps, progress, event, target);
  }
  if (progress === useLesson.getState().progress) {
    if (lesson && lessonProgressKept()) saveProgress(lesson, { ...progress, run });
  } else setProgress(progress);
}

function onFrame(s: SimState): void {
  const { steps, progress } = useLesson.getState();
  const prevMs = firstFrame ? (restored ? null : -1) : lastNowMs;
  firstFrame = false;
  lastNowMs = s.nowMs;
  setProgress(followTime(steps, progress, prevMs, s.nowMs));
  refreshTarget(s);
}

useSim.subscribe((s, prev) => {
  if (s.recorded !== prev.recorded && s.recorded) {
    // A new session reports no action yet: a load, a reload or a restarted worker.
    if (s.actionCount === 0 || !prev.recorded) openLesson(s);
    else if (lesson) onActions(s, prev.recorded.events);
  }
  if (lesson && s.nodesById !== prev.nodesById && s.status === 'running') onFrame(s);
});
// The page's code arrives after the worker has started (it is loaded on demand): a run may already be on screen.
if (useSim.getState().recorded) {
  openLesson(useSim.getState());
  if (lesson && useSim.getState().status === 'running') onFrame(useSim.getState());
}

export function nextStep(): void {
  const { steps, progress } = useLesson.getState();
  setProgress(stepForward(steps, progress, useSim.getState().nowMs));
}

export function previousStep(): void {
  setProgress(stepBack(useLesson.getState().progress));
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
