/**
 * Where a lesson's progress survives a reload: localStorage, one entry for all lessons, keyed by
 * lesson (title and steps). Each entry remembers which run it belongs to (the recorded events'
 * signature), so opening the same preset afresh after acting starts the lesson from its start.
 */
import type { LessonProgress } from './steps';

const KEY = 'ha-playground:lessons:v1';
/** Enough for every bundled lesson and a few of one's own; the oldest are forgotten first. */
const ENTRIES_KEPT = 60;

export interface SavedProgress extends LessonProgress {
  readonly run: string;
}

type Saved = Record<string, SavedProgress>;

function readAll(): Saved {
  try {
    const raw = localStorage.getItem(KEY);
    const value: unknown = raw ? JSON.parse(raw) : null;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Saved) : {};
  } catch {
    return {}; // blocked storage or a damaged entry: lessons start afresh
  }
}

function isProgress(value: unknown): value is SavedProgress {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SavedProgress>;
  return typeof v.run === 'string' && Number.isInteger(v.index) && Array.isArray(v.marks) && v.marks.every((m) => typeof m === 'number');
}

export function loadProgress(lesson: string): SavedProgress | null {
  const entry = readAll()[lesson];
  return isProgress(entry) ? entry : null;
}

export function saveProgress(lesson: string, progress: SavedProgress): void {
  try {
    const all = readAll();
    delete all[lesson];
    const kept = Object.entries(all).slice(-(ENTRIES_KEPT - 1));
    localStorage.setItem(KEY, JSON.stringify(Object.fromEntries([...kept, [lesson, { index: progress.index, marks: progress.marks, run: progress.run }]])));
  } catch {
    // Storage full or blocked: the lesson simply starts over next time.
  }
}

const PREDICTIONS_KEY = 'ha-playground:predictions:v1';

/** One prediction a learner made: which answer they picked and whether it held on their run. */
export interface Prediction {
  readonly step: number;
  readonly picked: string;
  readonly held: boolean;
  /** The answer that held, when exactly one did. */
  readonly answer: string | null;
}

/** The predictions made in each lesson, by lesson key, latest per step (the course's progress reads them). */
export function loadPredictions(): Record<string, readonly Prediction[]> {
  try {
    const raw = localStorage.getItem(PREDICTIONS_KEY);
    const value: unknown = raw ? JSON.parse(raw) : null;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, Prediction[]>) : {};
  } catch {
    return {};
  }
}

/** Keeps a prediction revealed in `lesson` (replacing an earlier one at the same step). */
export function savePrediction(lesson: string, prediction: Prediction): void {
  try {
    const all = loadPredictions();
    const kept = (all[lesson] ?? []).filter((p) => p.step !== prediction.step);
    delete all[lesson];
    const lessons = Object.entries(all).slice(-(ENTRIES_KEPT - 1));
    localStorage.setItem(PREDICTIONS_KEY, JSON.stringify(Object.fromEntries([...lessons, [lesson, [...kept, prediction]]])));
  } catch {
    // Storage full or blocked: the prediction is shown, not kept.
  }
}
