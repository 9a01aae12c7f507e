// Proves challenges are judged on the report the same way everywhere: each check in words, pass only
// when all pass; a handed-in file that changes more than the challenge allows is caught; the two bundled
// challenges fail as shipped and pass with the intended fix; `npm run sim --grade` exits 1 on a fail.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeReport, outOfBounds } from '../../../src/sim/challenge/grade';
import { runScenario } from '../../../src/sim/run';
import { parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';

const presetJson = (id: string) => JSON.parse(readFileSync(new URL(`../../../public/scenarios/${id}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

function parsed(raw: unknown): Scenario {
  const result = parseScenario(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}

describe('a challenge judged on the report', () => {
  it('fails as shipped, and says which check and by how much', () => {
    const { report } = runScenario(parsed(presetJson('challenge-lose-nothing')));
    expect(report.challenge?.passed).toBe(false);
    const lost = report.challenge!.checks[0]!;
    expect(lost.ok).toBe(false);
    expect(lost.text).toMatch(/^writes\.lost is [1-9]\d*; the goal is exactly 0$/);
  });

  it('passes with the intended fix: a synchronous standby beside the primary', () => {
    const raw = presetJson('challenge-lose-nothing');
    const fixed = { ...raw, topology: { ...(raw.topology as object), database: { standbys: [{ replication: 'sync' }] } } };
    const scenario = parsed(fixed);
    const { report } = runScenario(scenario);
    expect(report.challenge).toMatchObject({ passed: true });
    expect(outOfBounds(parsed(raw), scenario)).toEqual([]);
  });

  it('single writer: fails with quorum and fencing off, passes with either cure on', () => {
    const raw = presetJson('challenge-single-writer');
    expect(runScenario(parsed(raw)).report.challenge?.passed).toBe(false);
    for (const settings of [{ fencing: true, quorum: true }, { fencing: false, quorum: true }]) {
      expect(runScenario(parsed({ ...raw, settings })).report.challenge?.passed, JSON.stringify(settings)).toBe(true);
    }
  });

  it('a handed-in file may change only what the challenge makes editable', () => {
    const raw = presetJson('challenge-lose-nothing');
    const reference = parsed(raw);
    expect(outOfBounds(reference, parsed({ ...raw, events: [] }))).toEqual([expect.stringMatching(/^events differs/)]);
    expect(outOfBounds(reference, parsed({ ...raw, seed: 12 }))).toEqual([expect.stringMatching(/^seed differs/)]);
    expect(outOfBounds(reference, parsed({ ...raw, settings: { fencing: false } }))).toEqual([expect.stringMatching(/^settings differs.*only topology/)]);
    expect(outOfBounds(reference, parsed({ ...raw, challenge: { goal: 'easy', checks: [{ figure: 'writes.lost', atLeast: 0 }] } }))).toEqual([
      expect.stringMatching(/^challenge differs/),
    ]);
  });

  it('bounds combine: every one given must hold', () => {
    const { report } = runScenario(parsed({ version: 1, durationMs: 3000, topology: { orchestrators: 3, servers: 0, database: null } }));
    const judge = (check: object) => gradeReport({ goal: 'g', checks: [check as never], editable: [] }, report);
    expect(judge({ figure: 'leaders.count', atLeast: 1, atMost: 1 }).passed).toBe(true);
    expect(judge({ figure: 'leaders.count', atLeast: 2 }).passed).toBe(false);
    expect(judge({ invariant: 'election-safety', ok: false }).checks[0]!.text).toBe('election-safety held; the goal is that it breaks');
    expect(judge({ invariant: 'no-such-check', ok: true }).passed).toBe(false);
  });

  it('rejects a challenge with a figure the report does not have, naming the field', () => {
    const result = parseScenario({ version: 1, challenge: { goal: 'g', checks: [{ figure: 'writes.misplaced', atMost: 0 }] } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.path).toMatch(/^challenge\.checks/);
  });
});

describe('npm run sim --grade', () => {
  const sim = (...args: string[]) => spawnSync('npx', ['tsx', 'src/cli/sim.ts', ...args], { encoding: 'utf8', cwd: new URL('../../..', import.meta.url).pathname });

  it('exits 1 on a fail, 0 on a pass, and 1 when the handed-in file broke the rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grade-'));
    const raw = presetJson('challenge-single-writer');
    const good = join(dir, 'good.json');
    const cheat = join(dir, 'cheat.json');
    writeFileSync(good, JSON.stringify({ ...raw, settings: { quorum: true, fencing: true } }));
    writeFileSync(cheat, JSON.stringify({ ...raw, events: [] }));
    const reference = 'public/scenarios/challenge-single-writer.json';
    const failing = sim(reference, '--grade');
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/Result: FAIL[\s\S]*✗ single-writer broke/);
    const passing = sim(good, '--grade', '--against', reference);
    expect(passing.status).toBe(0);
    expect(passing.stdout).toContain('Result: PASS');
    const cheating = sim(cheat, '--grade', '--against', reference);
    expect(cheating.status).toBe(1);
    expect(cheating.stdout).toMatch(/✗ events differs/);
    expect(sim(reference, '--against', reference).status).toBe(2);
  }, 60_000);
});
