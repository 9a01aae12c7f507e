// Proves `npm run sim -- --compare [DISASTER]` prints the comparison table, its JSON with --json, and refuses what it cannot do with exit 2.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../../src/sim/compare/scenarios';

const root = new URL('../../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const sim = (...args: string[]) => spawnSync(tsx, ['src/cli/sim.ts', ...args], { cwd: root, encoding: 'utf8' });

describe('npm run sim -- --compare', () => {
  it('prints one line of figures per strategy, the disk failure by default', () => {
    const run = sim('--compare');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^The primary's disk fails: 5 strategies/);
    for (const { label } of STRATEGIES) expect(run.stdout).toMatch(new RegExp(`^${label} +\\d+ +\\d+\\.\\d\\d s +\\d+\\.\\d\\d s\\+? +(\\d+\\.\\d\\d s|never)$`, 'm'));
    expect(run.stdout).toMatch(/Only the local sync standby lost nothing/);
  });

  it('prints the comparison as JSON for another disaster', () => {
    const run = sim('--compare', 'region', '--json');
    expect(run.status).toBe(0);
    const comparison = JSON.parse(run.stdout);
    expect(comparison.disaster).toBe('region');
    expect(comparison.rows).toHaveLength(5);
    expect(comparison.rows[0]).toMatchObject({ strategy: 'daily-backups', rpoWrites: expect.any(Number), rtoMs: expect.any(Number) });
  });

  it('exits 2 with a reason for an unknown disaster or a scenario file beside it', () => {
    const unknown = sim('--compare', 'flood');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--compare takes a disaster, one of disk, region; got flood/);
    const both = sim('--compare', 'disk', 'public/scenarios/raft-basics.json');
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--compare builds its own scenarios/);
  });
});
