/**
 * The `set` scenario event: change one setting while the system runs, by a dotted path such as
 * `settings.fencing` or `settings.healthCheck.intervalMs`. The scenario parser has already checked
 * the path and the value; this only builds the new, immutable settings object.
 */
import type { Settings } from '../scenario/types';

export type SetResult = { ok: true; settings: Settings } | { ok: false; reason: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function applySetting(settings: Settings, path: string, value: unknown): SetResult {
  const keys = path.split('.');
  if (keys[0] !== 'settings' || keys.length < 2) return { ok: false, reason: `${path} is not a setting` };
  const rebuilt = setIn(settings as unknown as Record<string, unknown>, keys.slice(1), value);
  return rebuilt === null ? { ok: false, reason: `${path} is not a setting` } : { ok: true, settings: rebuilt as unknown as Settings };
}

function setIn(target: Record<string, unknown>, keys: readonly string[], value: unknown): Record<string, unknown> | null {
  const [key, ...rest] = keys;
  if (key === undefined || !Object.prototype.hasOwnProperty.call(target, key)) return null;
  const current = target[key];
  if (rest.length === 0) {
    if (isRecord(current) || typeof current !== typeof value || Array.isArray(current) !== Array.isArray(value)) return null;
    return { ...target, [key]: value };
  }
  if (!isRecord(current)) return null;
  const inner = setIn(current, rest, value);
  return inner === null ? null : { ...target, [key]: inner };
}
