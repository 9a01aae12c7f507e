/**
 * The lesson and presenter keys, called by the page's shortcut handler (shortcuts.ts) after the
 * node action keys: `f` presenter mode, `n` / `b` next and previous step (also → / ← while
 * presenting, where nothing else needs the arrows), `s` selects the node the step points at, and
 * Esc leaves presenter mode.
 */
import { hasLesson, nextStep, previousStep, selectStepNode } from '../lessons/lesson-store';
import { leavePresenter, togglePresenter, usePresenter } from './presenter-store';

export const LESSON_SHORTCUTS: readonly [string, string][] = [
  ['n / b', 'next / previous lesson step (→ / ← in presenter mode)'],
  ['s', 'select the node the lesson step points at'],
  ['f', 'presenter mode on / off'],
];

/** Handles `key` if it is one of these; says whether it was. */
export function onLessonKey(key: string): boolean {
  const presenting = usePresenter.getState().on;
  if (key === 'f') togglePresenter();
  else if (hasLesson() && (key === 'n' || (presenting && key === 'ArrowRight'))) nextStep();
  else if (hasLesson() && (key === 'b' || (presenting && key === 'ArrowLeft'))) previousStep();
  else if (key === 's') return selectStepNode();
  else if (presenting && key === 'Escape') leavePresenter();
  else return false;
  return true;
}
