// A node rebuilding from a base backup copies it, then asks its primary for the WAL since (a
// StreamStart "after the base backup"). When that request is lost (a partition or a cut link in
// the meantime), the node used to wait for ever: the primary's announcements to a peer it does not
// stream to ("I am primary", every half second) kept its receiver timer from running out, so it
// never asked again, and it stayed "rebuilding" with its copy finished. The announcement is now
// the invitation to ask again, as it is for a standby and for a rebuild still asking. Likewise on a
// lossy link the answer itself (the base backup's end) can be lost while the primary streams that
// session's WAL, which kept the timer from running out too: until the answer comes, only the
// answer counts as a live stream.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectHealed, expectSweepCaseHealed } from '../support/healed-run';
import { scenario } from '../support/scenario';
import { runAndCountMissing } from '../support/write-check';

type Role = Extract<TraceEvent, { type: 'role' }>;
const roles = (trace: readonly TraceEvent[], node: string) => trace.filter((e): e is Role => e.type === 'role' && e.node === node);

describe('a replacement whose request after its base backup was lost', () => {
  it('the sweep’s run (raft-3, db-4 cut off by a partition while it copied) ends with db-4 streaming from db-1 right after the heal', () => {
    const result = expectSweepCaseHealed('raft3-replacement-copied-while-cut-off', 'db-1');
    // 188.4 kB at 250 kB/s is 0.8 s: it is rebuilt at once once the partition is gone (heal at 33.873 s), not 45 s later.
    const rebuilt = roles(result.trace, 'db-4').find((e) => e.role === 'standby' && e.reason.startsWith('rebuilt from a base backup'));
    expect(rebuilt?.atMs).toBeGreaterThan(33_873);
    expect(rebuilt?.atMs).toBeLessThan(33_873 + 2000);
  });

  // The same cause, made small: db-2 dies and is replaced by db-3, and `fault` strikes the link
  // between db-3 and the primary while db-3 copies its base backup. The orchestrators still hear
  // db-3, so nothing else happens to it. Without `faultAtMs`: the run that finds when the copy starts.
  type Fault = (atMs: number) => Record<string, unknown>[];
  const replacedWhileCopying = (seed: number, fault: Fault, faultAtMs?: number) =>
    scenario({
      seed,
      durationMs: faultAtMs === undefined ? 25_000 : faultAtMs + 30_000,
      settings: { replaceDatabaseAfterMs: 10_000, baseBackupBytesPerSec: 250_000 },
      topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }] } },
      workload: { writesPerSec: 50 },
      events: [{ atMs: 1000, do: 'crash', node: 'db-2' }, ...(faultAtMs === undefined ? [] : fault(faultAtMs))],
    });
  /** The run with `fault` 10 ms after db-3 starts copying, and when that was. */
  const runWithFault = (seed: number, fault: Fault) => {
    const probe = runAndCountMissing(replacedWhileCopying(seed, fault));
    const copying = roles(probe.trace, 'db-3').find((e) => e.role === 'rebuilding');
    expect(copying?.reason).toMatch(/copying a base backup/);
    const faultAtMs = copying!.atMs + 10;
    const s = replacedWhileCopying(seed, fault, faultAtMs);
    const result = runAndCountMissing(s);
    const rebuilt = roles(result.trace, 'db-3').find((e) => e.role === 'standby' && e.reason.startsWith('rebuilt from a base backup'));
    expect(result.finalPrimary).toBe('db-1');
    expectHealed(result, s);
    return { faultAtMs, rebuiltAtMs: rebuilt?.atMs };
  };

  // The link cut for 10 s: its request after the copy is lost.
  const cut: Fault = (atMs) => [
    { atMs, do: 'cut', between: ['db-1', 'db-3'] },
    { atMs: atMs + 10_000, do: 'heal-link', between: ['db-1', 'db-3'] },
  ];

  it.each([1, 2, 3])('db-3 is rebuilt once the link is back and follows db-1 (seed %i)', (seed) => {
    const { faultAtMs, rebuiltAtMs } = runWithFault(seed, cut);
    expect(rebuiltAtMs).toBeGreaterThan(faultAtMs + 10_000);
    expect(rebuiltAtMs).toBeLessThan(faultAtMs + 12_000);
  });

  // Half of the messages between db-1 and db-3 lost for 8 s: on these seeds the answer to db-3's
  // request after its copy was lost but the WAL of that session was not.
  const lossy: Fault = (atMs) => [
    { atMs, do: 'slow-link', between: ['db-1', 'db-3'], latencyMs: [2, 2], lossRate: 0.5 },
    { atMs: atMs + 8000, do: 'heal-link', between: ['db-1', 'db-3'] },
  ];

  it.each([2, 4, 5])('on a lossy link db-3 asks again until the answer comes, is rebuilt and follows db-1 (seed %i)', (seed) => {
    const { faultAtMs, rebuiltAtMs } = runWithFault(seed, lossy);
    expect(rebuiltAtMs).toBeLessThan(faultAtMs + 10_000);
  });
});
