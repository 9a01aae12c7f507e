// Proves `npm run sim -- FILE --seeds A..B`: the same summary whatever the number of worker threads,
// summaries of split seed ranges merging into the whole, broken seeds' links replaying the broken
// run, and bad input refused in words.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeScenarioParam } from '../../../src/sim/scenario/url';
import { runScenario } from '../../../src/sim/run';
import { simInProcess } from '../../support/cli';

const root = new URL('../../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'ha-sweep-'));
const SPLIT = 'public/scenarios/failover-split-brain.json';
const CRASH = 'public/scenarios/failover-primary-crash.json';

describe('npm run sim -- FILE --seeds A..B', () => {
  it('prints the same summary on a pool of worker threads as in one thread', async () => {
    const one = await simInProcess(CRASH, '--seeds', '1..4', '--workers', '1', '--json');
    expect(one.status).toBe(0);
    // The pool runs only under the command itself (tsx), so it is spawned.
    const pool = spawnSync(tsx, ['src/cli/sim.ts', CRASH, '--seeds', '1..4', '--workers', '3', '--json'], { cwd: root, encoding: 'utf8' });
    expect(pool.stderr).toMatch(/on 3 workers/);
    expect(pool.status).toBe(0);
    expect(pool.stdout).toBe(one.stdout);
    const summary = JSON.parse(one.stdout);
    expect(summary).toMatchObject({ version: 1, runs: 4, seeds: [[1, 4]], unsafe: [], invariants: {} });
    expect(summary.figures.failovers).toMatchObject({ runs: 4, min: 1, max: 1 });
    // The figures are each run's own: seed 3's RTO is what a single run at seed 3 reports.
    const single = JSON.parse((await simInProcess(CRASH, '--seed', '3', '--json')).stdout);
    expect(summary.perSeed[2]).toMatchObject({ seed: 3, figures: { rtoMs: single.rto.unavailableMs, noPrimaryMs: single.rto.noPrimaryMs } });
  }, 120_000);

  it('lists the seeds that broke an invariant with links that replay the broken run', async () => {
    const run = await simInProcess(SPLIT, '--seeds', '7..8', '--workers', '1', '--json');
    // Split brain turns safety off on purpose: broken, but not a failure of the safe defaults.
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.unsafe).toEqual(['fencing off', 'quorum off', 'no synchronous standby']);
    const broken = summary.invariants['single-writer'];
    expect(broken.seeds.map((s: { seed: number }) => s.seed)).toEqual([7, 8]);
    const decoded = decodeScenarioParam(broken.seeds[1].link.replace(/^#s=/, ''));
    if (!decoded.ok) throw new Error('the link does not decode');
    expect(decoded.scenario.seed).toBe(8);
    const replay = runScenario(decoded.scenario, { keepTrace: false }).report;
    expect(replay.invariants.find((i) => i.name === 'single-writer')?.ok).toBe(false);
    expect(replay.writes.lost).toBe(summary.perSeed[1].figures.lostWrites);
    const table = await simInProcess(SPLIT, '--seeds', '7..8', '--workers', '1');
    expect(table.stdout).toMatch(/not the safe defaults \(fencing off, quorum off, no synchronous standby\)/);
    expect(table.stdout).toMatch(/single-writer broke in 2 runs: seeds 7, 8/);
  }, 120_000);

  it('merges summaries of split seed ranges into the summary of the whole range', async () => {
    const whole = await simInProcess(CRASH, '--seeds', '1..3', '--workers', '1', '--json');
    const parts = ['1..1', '2..3'].map(async (range, i) => {
      const part = await simInProcess(CRASH, '--seeds', range, '--workers', '1', '--json');
      const file = join(dir, `part-${i}.json`);
      writeFileSync(file, part.stdout);
      return file;
    });
    const files = await Promise.all(parts);
    const merged = await simInProcess('--merge', ...files.reverse(), '--json');
    expect(merged.status).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    const other = join(dir, 'other.json');
    writeFileSync(other, (await simInProcess(SPLIT, '--seeds', '1..1', '--workers', '1', '--json')).stdout);
    const mixed = await simInProcess('--merge', files[0]!, other);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/different scenarios/);
  }, 120_000);

  it('refuses bad ranges, workers and files in words', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const cases: [string[], RegExp][] = [
      [[CRASH, '--seeds', '5..3'], /the last seed comes before the first/],
      [[CRASH, '--seeds', 'ten'], /--seeds expects a range of seeds A\.\.B/],
      [[CRASH, '--seeds', '1..2', '--workers', '0'], /--workers expects at least 1/],
      [[CRASH, '--workers', '2'], /--workers goes with --seeds/],
      [[CRASH, '--seeds', '1..2', '--seed', '4'], /drop --seed/],
      [['--merge'], /--merge expects the sweep summaries/],
      [['--merge', bad], /not a sweep summary/],
      [['--merge', join(dir, 'missing.json')], /cannot read/],
    ];
    for (const [args, message] of cases) {
      const run = await simInProcess(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
    }
  });
});
