// Proves `npm run sim` keeps its documented format: exit 0 with a timeline or a JSON report, 2 with a message naming the field on bad input, links and traces work.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeScenarioHash } from '../../../src/sim/scenario/url';
import { simInProcess } from '../../support/cli';

const root = new URL('../../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const sim = (...args: string[]) => spawnSync(tsx, ['src/cli/sim.ts', ...args], { cwd: root, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'ha-sim-'));

describe('npm run sim', () => {
  it('prints a readable timeline and exits 0', () => {
    const run = sim('public/scenarios/raft-basics.json');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/elected leader, term 1/);
    expect(run.stdout).toMatch(/Safety: all \d+ invariants held/);
  });

  it('prints only the JSON report with --json, honouring --seed and --until', () => {
    const run = sim('public/scenarios/raft-basics.json', '--json', '--seed', '99', '--until', '5000');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ version: 1, seed: 99, durationMs: 5000 });
    expect(report.invariants.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining([
      'election-safety', 'log-matching', 'leader-completeness', 'state-machine-safety', 'single-writer', 'no-acknowledged-write-lost',
    ]));
    for (const key of ['leaders', 'primaries', 'failovers', 'writes', 'rpo', 'rto', 'servers', 'nodes', 'stats']) expect(report).toHaveProperty(key);
  });

  it('writes the NDJSON trace with the contract fields', () => {
    const out = join(dir, 'trace.ndjson');
    expect(sim('public/scenarios/raft-basics.json', '--json', '--trace', out).status).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.find((e) => e.type === 'leader')).toMatchObject({ atMs: expect.any(Number), node: expect.stringMatching(/^orch-/), term: expect.any(Number) });
    expect(lines.find((e) => e.type === 'fault')).toMatchObject({ do: 'crash', node: expect.stringMatching(/^orch-/) });
    const times = lines.map((e) => e.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('opens a playground link (#s= and #preset=) and gives the same report as the file', () => {
    const scenario = JSON.parse(readFileSync(join(root, 'public/scenarios/raft-basics.json'), 'utf8'));
    const fromFile = sim('public/scenarios/raft-basics.json', '--json').stdout;
    expect(sim(`http://localhost:5173/#${encodeScenarioHash(scenario)}`, '--json').stdout).toBe(fromFile);
    expect(sim('http://localhost:5173/?embed=1#preset=raft-basics', '--json').stdout).toBe(fromFile);
  });

  it.each([
    ['an unknown version', { version: 7 }, /version/],
    ['a wrong type', { version: 1, topology: { orchestrators: 'three' } }, /topology\.orchestrators/],
    ['an unknown node id', { version: 1, events: [{ atMs: 5, do: 'crash', node: 'db-9' }] }, /events\[0\]\.node/],
    ['events out of order', { version: 1, events: [{ atMs: 50, do: 'heal' }, { atMs: 5, do: 'heal' }] }, /events\[1\]\.atMs/],
  ])('exits 2 naming the field for %s', (_name, body, expected) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(body));
    const run = sim(file);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('exits 2 for a missing file, broken JSON and a bad option', () => {
    expect(sim('no/such/file.json').status).toBe(2);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 1,');
    expect(sim(broken).status).toBe(2);
    expect(sim('public/scenarios/raft-basics.json', '--seed', 'abc').status).toBe(2);
  });

  // In-process (the command's own function), not one process each: 27 starts of tsx took minutes on a busy machine.
  it('runs every example scenario', async () => {
    const index = JSON.parse(readFileSync(join(root, 'public/scenarios/index.json'), 'utf8')) as { id: string }[];
    expect(index.length).toBeGreaterThan(0);
    for (const { id } of index) {
      const run = await simInProcess(join(root, `public/scenarios/${id}.json`), '--json');
      expect(run.status, id).toBe(0);
      expect(JSON.parse(run.stdout).title, id).toBeTruthy();
    }
  });
});
