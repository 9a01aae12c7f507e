/**
 * Autosave: the recorded scenario and the time on screen, so that a reload finds the run as it
 * was. Keyed by the hash the run was opened from: opening a different link starts that link.
 */
import type { Scenario } from '../../sim';
import { readStored, writeStored } from './local-storage';

const KEY = 'ha-playground:run:v1';

export interface SavedRun {
  readonly hash: string;
  readonly scenario: Scenario;
  readonly atMs: number;
}

export function loadSavedRun(): SavedRun | null {
  return readStored(KEY, (raw) => {
    const value = raw as Partial<SavedRun> | null;
    if (typeof value?.hash !== 'string' || typeof value.atMs !== 'number' || typeof value.scenario !== 'object' || value.scenario === null) return null;
    return value as SavedRun;
  });
}

export function saveRun(run: SavedRun): void {
  writeStored(KEY, run);
}
