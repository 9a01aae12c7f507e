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

/**
 * The course: per bundled lesson (its preset id), whether the learner reached its last step and
 * the predictions they made (by question step: whether the choice they picked held on their run).
 * A separate entry from the steps' progress above, so an edited lesson keeps its "finished".
 */
const COURSE_KEY = 'ha-playground:course:v1';

export interface LessonRecord {
  readonly finished: boolean;
  /** Step index → whether the prediction made at that step held. */
  readonly predictions: Readonly<Record<string, boolean>>;
}

export type CourseProgress = Readonly<Record<string, LessonRecord>>;

export const NO_RECORD: LessonRecord = { finished: false, predictions: {} };

function isRecord(value: unknown): value is LessonRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<LessonRecord>;
  const predictions = v.predictions as unknown;
  return (
    typeof v.finished === 'boolean' &&
    typeof predictions === 'object' &&
    predictions !== null &&
    !Array.isArray(predictions) &&
    Object.values(predictions).every((held) => typeof held === 'boolean')
  );
}

/** The course progress kept in this browser; anything unreadable (blocked, damaged, another shape) reads as a fresh start. */
export function loadCourse(): CourseProgress {
  try {
    const raw = localStorage.getItem(COURSE_KEY);
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, LessonRecord] => isRecord(entry[1])));
  } catch {
    return {};
  }
}

export function saveCourse(course: CourseProgress): void {
  try {
    localStorage.setItem(COURSE_KEY, JSON.stringify(course));
  } catch {
    // Storage full or blocked: the gallery simply shows less progress next time.
  }
}

/** "Reset progress": forgets the course, every lesson's step and the predictions the cards recall, in this browser. */
export function resetAllProgress(): void {
  try {
    localStorage.removeItem(COURSE_KEY);
    localStorage.removeItem(KEY);
    localStorage.removeItem(PREDICTIONS_KEY);
  } catch {
    // Blocked storage holds nothing to forget.
  }
}

/** The course with `lesson` marked finished (the same object when it already was). */
export function withFinished(course: CourseProgress, lesson: string): CourseProgress {
  const record = course[lesson] ?? NO_RECORD;
  return record.finished ? course : { ...course, [lesson]: { ...record, finished: true } };
}

/** The course with the prediction made at `step` of `lesson` (the first answer counts; a rewound retry does not rewrite it). */
export function withPrediction(course: CourseProgress, lesson: string, step: number, held: boolean): CourseProgress {
  const record = course[lesson] ?? NO_RECORD;
  if (String(step) in record.predictions) return course;
  return { ...course, [lesson]: { ...record, predictions: { ...record.predictions, [String(step)]: held } } };
}

/** How many predictions a lesson's record holds, and how many of them held. */
export function predictionCounts(record: LessonRecord): { readonly made: number; readonly held: number } {
  const answers = Object.values(record.predictions);
  return { made: answers.length, held: answers.filter(Boolean).length };
}
