// Proves failover with a witness and no orchestrators, end to end through the kernel: a crashed primary is replaced by its synchronous standby with the witness's vote and nothing acknowledged is lost; a primary cut off from everyone stops writing on its lease before the standby takes over, never two writers; a standby that only lost sight of the primary is refused, because the witness still renews the primary's lease; without the witness nobody takes over; with quorum off the witness is ignored and a cut gives split brain; a standby without the acknowledged writes never gets the lock; two former primaries restarted together end with one primary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run';
import { parseScenarioText } from '../../src/sim/scenario/parse';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants, scenario } from '../support/scenario';

const FAULT_MS = 10_000;
// healthCheck defaults: a check each 1000 ms, 500 ms to answer, 3 failures in a row.
const DETECT_MIN_MS = 2 * 1000 + 500;
const DETECT_MAX_MS = 3 * 1000 + 500;

function witnessScenario(events: readonly Record<string, unknown>[], settings: Record<string, unknown> = {}, standbys: readonly Record<string, unknown>[] = [{ replication: 'sync' }]) {
  return scenario({
    durationMs: 30_000,
    topology: { orchestrators: 0, servers: 0, database: { standbys, witness: true } },
    settings,
    workload: { writesPerSec: 20 },
    events,
  });
}

function steps(trace: readonly TraceEvent[], ok = true) {
  return trace.flatMap((e) => (e.type === 'failover' && e.ok === ok ? [{ step: e.step, atMs: e.atMs, node: e.node, text: e.text }] : []));
}

function firstAt(trace: readonly TraceEvent[], match: (e: TraceEvent) => boolean): number {
  const event = trace.find(match);
  if (!event) throw new Error('no such event in the trace');
  return event.atMs;
}

describe('failover with a witness, through the kernel', () => {
  it('the primary crashes: the standby takes the witness’s lock and is promoted; nothing acknowledged is lost', () => {
    const { report, trace } = runScenario(witnessScenario([{ atMs: FAULT_MS, do: 'crash', node: 'db-1' }]));
    expect(steps(trace).map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote', 'redirect']);
    expect(new Set(steps(trace).map((s) => s.node))).toEqual(new Set(['db-2']));
    expect(steps(trace).find((s) => s.step === 'confirm')?.text).toMatch(/the witness gave db-2 the lock for epoch 2/);
    expect(report.failovers).toEqual([expect.objectContaining({ from: 'db-1', to: 'db-2', lostWrites: 0 })]);
    const failover = report.failovers[0]!;
    expect(failover.detectedAtMs - FAULT_MS).toBeGreaterThanOrEqual(DETECT_MIN_MS);
    expect(failover.detectedAtMs - FAULT_MS).toBeLessThanOrEqual(DETECT_MAX_MS);
    expect(report.primaries.map((p) => p.node)).toEqual(['db-1', 'db-2']);
    expect(report.writes.acknowledged).toBeGreaterThan(0);
    expect(report.writes.lost).toBe(0);
    expect(report.invariants.find((i) => i.name === 'single-writer')).toMatchObject({ ok: true });
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('the primary is cut off from the standby and the witness: it stops writing on its lease, then the standby takes over', () => {
    const { report, trace } = runScenario(witnessScenario([{ atMs: FAULT_MS, do: 'partition', groups: [['db-1'], ['*']] }, { atMs: 20_000, do: 'heal' }]));
    const demoted = trace.find((e) => e.type === 'role' && e.node === 'db-1' && e.role === 'demoted');
    expect(demoted).toMatchObject({ reason: expect.stringMatching(/the witness did not renew its lease/) });
    const stoppedAtMs = firstAt(trace, (e) => e.type === 'writable' && e.node === 'db-1' && !e.on);
    const promotedAtMs = firstAt(trace, (e) => e.type === 'writable' && e.node === 'db-2' && e.on);
    // Its lease (leaseMs from its last request at most) ends before the witness's, which the grant waits for.
    expect(stoppedAtMs).toBeLessThanOrEqual(FAULT_MS + 2500);
    expect(stoppedAtMs).toBeLessThan(promotedAtMs);
    expect(trace.find((e) => e.type === 'down' && e.node === 'db-1')).toMatchObject({ reason: expect.stringMatching(/fenced: db-2 powered it off/) });
    expect(steps(trace).map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote', 'redirect']);
    expect(report.failovers).toEqual([expect.objectContaining({ from: 'db-1', to: 'db-2', lostWrites: 0 })]);
    expect(report.invariants.find((i) => i.name === 'single-writer')).toMatchObject({ ok: true });
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('only the link between primary and standby is cut: the witness still renews the primary, refuses the standby, and nothing fails over', () => {
    const { report, trace } = runScenario(witnessScenario([{ atMs: FAULT_MS, do: 'cut', between: ['db-1', 'db-2'] }, { atMs: 20_000, do: 'heal' }]));
    expect(steps(trace)).toEqual([]);
    expect(steps(trace, false)).toEqual([
      expect.objectContaining({ step: 'detect', node: 'db-2', text: expect.stringMatching(/the witness refused db-2 the lock: db-1's lease \(epoch 1\) is still alive/) }),
    ]);
    expect(trace.some((e) => e.type === 'promoted')).toBe(false);
    expect(trace.some((e) => e.type === 'writable' && !e.on)).toBe(false);
    expect(report.failovers).toEqual([]);
    expect(report.primaries.map((p) => p.node)).toEqual(['db-1']);
    // The synchronous standby is back after the heal: writes are confirmed again.
    expect(trace.some((e) => e.type === 'write-ack' && e.atMs > 20_000)).toBe(true);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('the witness is unreachable: the primary stops writing when its lease runs out, and nobody takes over without the witness’s vote', () => {
    const { report, trace } = runScenario(witnessScenario([{ atMs: FAULT_MS, do: 'partition', groups: [['witness'], ['*']] }]));
    expect(trace.find((e) => e.type === 'writable' && e.node === 'db-1' && !e.on)?.atMs).toBeLessThanOrEqual(FAULT_MS + 2500);
    expect(steps(trace)).toEqual([]);
    // The standby, and the primary once its lease stopped it, each say once why they do not take over.
    const notDone = steps(trace, false);
    expect(notDone).toHaveLength(2);
    expect(notDone).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ step: 'detect', node: 'db-2', text: expect.stringMatching(/the witness does not answer/) }),
        expect.objectContaining({ step: 'detect', node: 'db-1', text: expect.stringMatching(/db-1 hears no primary, but the witness does not answer/) }),
      ]),
    );
    expect(report.failovers).toEqual([]);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('with quorum off the witness is ignored: the same cut makes the standby promote itself beside a primary that keeps writing', () => {
    const s = witnessScenario([{ atMs: FAULT_MS, do: 'cut', between: ['db-1', 'db-2'] }, { atMs: 20_000, do: 'heal' }], { quorum: false, fencing: false });
    const { report, trace } = runScenario(s);
    expect(trace.some((e) => e.type === 'failover' && /decides alone, without asking the witness/.test(e.text))).toBe(true);
    const singleWriter = report.invariants.find((i) => i.name === 'single-writer')!;
    expect(singleWriter.ok).toBe(false);
    expect(singleWriter.violations[0]!.message).toMatch(/db-1 and db-2 both accepted writes/);
  });
});

describe('the witness hands its lock only to a node holding every acknowledged write', () => {
  // Strict mode, so that the refusal is for the missing WAL; by default db-1 runs degraded once
  // db-2 is gone, and the witness refuses db-2 for that first (the test below it).
  it('a standby wiped and restarted empty, still copying over a slow link, is refused the lock when the primary loses the witness: it never promotes itself at LSN 0', () => {
    const { report, trace } = runScenario(
      witnessScenario(
        [
          { atMs: 5000, do: 'wipe-disk', node: 'db-2' },
          { atMs: 5000, do: 'slow-link', between: ['db-1', 'db-2'], latencyMs: 1200 },
          { atMs: 9000, do: 'restart', node: 'db-2' },
          { atMs: 10_000, do: 'cut', between: ['db-1', 'witness'] },
        ],
        { synchronousModeStrict: true },
      ),
    );
    expect(trace.some((e) => e.type === 'promoted')).toBe(false);
    expect(trace.some((e) => e.type === 'down' && e.node === 'db-1')).toBe(false);
    expect(steps(trace)).toEqual([]);
    expect(steps(trace, false)).toContainEqual(
      expect.objectContaining({ node: 'db-2', text: expect.stringMatching(/the witness refused db-2 the lock: db-2 holds WAL only up to 0\/0, but db-1 acknowledged writes up to/) }),
    );
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('by default the same run is refused the lock too: db-1 ran degraded without db-2, so only db-1 may take the lock', () => {
    const { report, trace } = runScenario(
      witnessScenario([
        { atMs: 5000, do: 'wipe-disk', node: 'db-2' },
        { atMs: 5000, do: 'slow-link', between: ['db-1', 'db-2'], latencyMs: 1200 },
        { atMs: 9000, do: 'restart', node: 'db-2' },
        { atMs: 10_000, do: 'cut', between: ['db-1', 'witness'] },
      ]),
    );
    expect(trace.some((e) => e.type === 'promoted')).toBe(false);
    expect(steps(trace, false)).toContainEqual(expect.objectContaining({ node: 'db-2', text: expect.stringMatching(/db-1 ran degraded \(no synchronous standby\)/) }));
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('the new primary crashes, then both nodes restart as former primaries: the lock’s holder takes it again in a new epoch and the other follows it', () => {
    const { report, trace } = runScenario({
      ...witnessScenario([
        { atMs: 5000, do: 'crash', node: 'db-1' },
        { atMs: 15_000, do: 'crash', node: 'db-2' },
        { atMs: 20_000, do: 'restart', node: 'db-1' },
        { atMs: 20_000, do: 'restart', node: 'db-2' },
      ]),
      durationMs: 40_000,
    });
    const promotions = trace.filter((e) => e.type === 'promoted');
    expect(promotions.map((e) => [e.node, e.epoch])).toEqual([
      ['db-2', 2],
      ['db-2', 3],
    ]);
    expect(promotions[1]!.atMs).toBeGreaterThan(20_000);
    expect(report.nodes.find((n) => n.id === 'db-2')).toMatchObject({ up: true, role: 'primary', term: 3 });
    expect(report.nodes.find((n) => n.id === 'db-1')).toMatchObject({ up: true, role: 'standby', term: 3 });
    expect(trace.some((e) => e.type === 'write-ack' && e.node === 'db-2' && e.atMs > promotions[1]!.atMs)).toBe(true);
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });
});

describe('a standby takes over from a primary that answers it has stopped', () => {
  it('does not power it off: the restarted former primary follows, and with two synchronous standbys writes are acknowledged again', () => {
    const { report, trace } = runScenario(
      witnessScenario(
        [
          { atMs: FAULT_MS, do: 'crash', node: 'db-1' },
          { atMs: FAULT_MS + 10, do: 'restart', node: 'db-1' },
        ],
        {},
        [{ replication: 'sync' }, { replication: 'sync' }],
      ),
    );
    const promoted = trace.find((e) => e.type === 'promoted');
    expect(promoted).toMatchObject({ node: 'db-2', epoch: 2 });
    expect(steps(trace).find((s) => s.step === 'fence')?.text).toMatch(/db-1 answers that it takes no writes: nothing to power off/);
    expect(trace.some((e) => e.type === 'down' && e.node === 'db-1' && /fenced/.test(e.reason))).toBe(false);
    expect(report.nodes.find((n) => n.id === 'db-1')).toMatchObject({ up: true, role: 'standby', term: 2 });
    expect(trace.some((e) => e.type === 'write-ack' && e.node === 'db-2' && e.atMs > promoted!.atMs + 1000)).toBe(true);
    expect(brokenInvariants(report)).toEqual([]);
  });
});

describe('the failover-witness lesson', () => {
  it('first refuses a standby that only lost sight of the primary, then hands it the lock once the isolated primary’s lease has run out', () => {
    const parsed = parseScenarioText(readFileSync(new URL('../../public/scenarios/failover-witness.json', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const { report, trace } = runScenario(parsed.scenario);
    const refused = steps(trace, false);
    expect(refused).toEqual([expect.objectContaining({ step: 'detect', node: 'db-2', text: expect.stringMatching(/refused/) })]);
    expect(refused[0]!.atMs).toBeGreaterThan(10_000);
    expect(refused[0]!.atMs).toBeLessThan(15_000);
    expect(steps(trace).map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote', 'redirect']);
    expect(steps(trace)[0]!.atMs).toBeGreaterThan(20_000);
    expect(report.failovers).toEqual([expect.objectContaining({ from: 'db-1', to: 'db-2', lostWrites: 0 })]);
    expect(report.failovers[0]!.detectedAtMs).toBeGreaterThan(20_000);
    // db-1, restarted after it was fenced, follows the new primary.
    expect(report.nodes.find((n) => n.id === 'db-1')).toMatchObject({ up: true, role: 'standby', term: 2 });
    expect(report.nodes.find((n) => n.id === 'witness')).toMatchObject({ kind: 'witness', role: 'witness', term: 2 });
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });
});
