/**
 * Autosave: the recorded scenario and the time on screen, so that a reload finds the run as it
 * was. Keyed by the hash the run was opened from: opening a different link starts that link.
 */
import type { Scenario } from '../../sim';

const KEY = 'ha-playground:run:v1';

export interface SavedRun {
  readonly hash: string;
  readonly scenario: Scenario;
  readonly atMs: number;
}

export function loadSavedRun(): SavedRun | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<SavedRun>;
    if (typeof value.hash !== 'string' || typeof value.atMs !== 'number' || typeof value.scenario !== 'object' || value.scenario === null) return null;
    return value as SavedRun;
  } catch {
    return null; // storage blocked or a damaged entry: start afresh
  }
}

export function saveRun(run: SavedRun): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(run));
  } catch {
    // Storage full or blocked (private mode): the run simply is not kept.
  }
}
