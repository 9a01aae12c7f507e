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
