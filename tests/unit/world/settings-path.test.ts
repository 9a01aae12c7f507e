// Proves `set` events change exactly one setting, immutably, and refuse unknown paths or wrong types.
import { describe, expect, it } from 'vitest';
import { applySetting } from '../../../src/sim/world/settings-path';
import { DEFAULT_SETTINGS } from '../../../src/sim/scenario/defaults';

describe('applySetting', () => {
  it('changes a nested leaf without touching the original', () => {
    const result = applySetting(DEFAULT_SETTINGS, 'settings.healthCheck.intervalMs', 250);
    expect(result.ok && result.settings.healthCheck.intervalMs).toBe(250);
    expect(result.ok && result.settings.healthCheck.timeoutMs).toBe(DEFAULT_SETTINGS.healthCheck.timeoutMs);
    expect(DEFAULT_SETTINGS.healthCheck.intervalMs).not.toBe(250);
  });

  it('refuses unknown paths, objects and mismatched types', () => {
    expect(applySetting(DEFAULT_SETTINGS, 'settings.nope', 1).ok).toBe(false);
    expect(applySetting(DEFAULT_SETTINGS, 'topology.servers', 1).ok).toBe(false);
    expect(applySetting(DEFAULT_SETTINGS, 'settings.healthCheck', 1).ok).toBe(false);
    expect(applySetting(DEFAULT_SETTINGS, 'settings.fencing', 'yes').ok).toBe(false);
    expect(applySetting(DEFAULT_SETTINGS, 'settings.__proto__', {}).ok).toBe(false);
  });
});
