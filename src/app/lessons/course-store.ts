/**
 * The course progress on the page: which bundled lessons the learner finished and the predictions
 * they made, for the gallery. Kept in this browser (progress-storage.ts), except in an embed: an
 * embedded lesson counts its progress for as long as the page is open, and never reads or writes
 * the reader's own (the same rule as the autosave).
 */
import { create } from 'zustand';
import { fetchScenarioList, lessonProgressKept } from '../store/engine';
import { loadCourse, resetAllProgress, saveCourse, withFinished, withPrediction, type CourseProgress } from './progress-storage';

export const useCourse = create<{ readonly course: CourseProgress; readonly loaded: boolean }>(() => ({ course: {}, loaded: false }));

/** Reads the kept progress once (an embed keeps none). */
export function ensureCourseLoaded(): void {
  if (useCourse.getState().loaded) return;
  useCourse.setState({ course: lessonProgressKept() ? loadCourse() : {}, loaded: true });
}

function update(change: (course: CourseProgress) => CourseProgress): void {
  ensureCourseLoaded();
  const { course } = useCourse.getState();
  const next = change(course);
  if (next === course) return;
  useCourse.setState({ course: next });
  if (lessonProgressKept()) saveCourse(next);
}

let titles: Promise<Map<string, string>> | null = null;

/** The bundled lesson a scenario title belongs to (the index's titles are the files' titles), or null for one of the learner's own. */
async function lessonIdOf(title: string): Promise<string | null> {
  titles ??= fetchScenarioList().then((list) => new Map(list.map((entry) => [entry.title, entry.id])));
  return (await titles).get(title) ?? null;
}

/** The learner reached the last step of the lesson called `title`. */
export async function noteFinished(title: string): Promise<void> {
  const id = await lessonIdOf(title);
  if (id) update((course) => withFinished(course, id));
}

/** The learner's prediction at step `step` of the lesson called `title` was revealed: it held or not. */
export async function notePrediction(title: string, step: number, held: boolean): Promise<void> {
  const id = await lessonIdOf(title);
  if (id) update((course) => withPrediction(course, id, step, held));
}

/** "Reset progress": the course and every lesson's saved step are forgotten (in an embed, only what this page counted). */
export function resetCourse(): void {
  if (lessonProgressKept()) resetAllProgress();
  useCourse.setState({ course: {}, loaded: true });
}
