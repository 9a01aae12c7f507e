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

  // The same cause, made small: db-2 dies and is replaced by db-3, and the link between db-3 and the
  // primary is cut while db-3 copies its base backup (so its request for the WAL since is lost), then
  // healed 10 s later. The orchestrators still hear db-3, so nothing else happens to it.
  const cutWhileCopying = (seed: number, cutAtMs?: number) =>
    scenario({
      seed,
      durationMs: cutAtMs === undefined ? 25_000 : cutAtMs + 25_000,
      settings: { replaceDatabaseAfterMs: 10_000, baseBackupBytesPerSec: 250_000 },
      topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }] } },
      workload: { writesPerSec: 50 },
      events: [
        { atMs: 1000, do: 'crash', node: 'db-2' },
        ...(cutAtMs === undefined
          ? []
          : [
              { atMs: cutAtMs, do: 'cut', between: ['db-1', 'db-3'] },
              { atMs: cutAtMs + 10_000, do: 'heal-link', between: ['db-1', 'db-3'] },
            ]),
      ],
    });

  it.each([1, 2, 3])('db-3 is rebuilt once the link is back and follows db-1 (seed %i)', (seed) => {
    const probe = runAndCountMissing(cutWhileCopying(seed));
    const copying = roles(probe.trace, 'db-3').find((e) => e.role === 'rebuilding');
    expect(copying?.reason).toMatch(/copying a base backup/);
    const cutAtMs = copying!.atMs + 10;
    const s = cutWhileCopying(seed, cutAtMs);
    const result = runAndCountMissing(s);
    const rebuilt = roles(result.trace, 'db-3').find((e) => e.role === 'standby' && e.reason.startsWith('rebuilt from a base backup'));
    expect(rebuilt?.atMs).toBeGreaterThan(cutAtMs + 10_000);
    expect(rebuilt?.atMs).toBeLessThan(cutAtMs + 12_000);
    expect(result.finalPrimary).toBe('db-1');
    expectHealed(result, s);
  });

  // Half of the messages between db-1 and db-3 lost for 8 s from the start of the copy: on these
  // seeds the answer to db-3's request after its copy was lost but the WAL of that session was not.
  const lossyWhileCopying = (seed: number, lossyAtMs?: number) =>
    scenario({
      seed,
      durationMs: lossyAtMs === undefined ? 25_000 : lossyAtMs + 30_000,
      settings: { replaceDatabaseAfterMs: 10_000, baseBackupBytesPerSec: 250_000 },
      topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }] } },
      workload: { writesPerSec: 50 },
      events: [
        { atMs: 1000, do: 'crash', node: 'db-2' },
        ...(lossyAtMs === undefined
          ? []
          : [
              { atMs: lossyAtMs, do: 'slow-link', between: ['db-1', 'db-3'], latencyMs: [2, 2], lossRate: 0.5 },
              { atMs: lossyAtMs + 8000, do: 'heal-link', between: ['db-1', 'db-3'] },
            ]),
      ],
    });

  it.each([2, 4, 5])('on a lossy link db-3 asks again until the answer comes, is rebuilt and follows db-1 (seed %i)', (seed) => {
    const probe = runAndCountMissing(lossyWhileCopying(seed));
    const lossyAtMs = roles(probe.trace, 'db-3').find((e) => e.role === 'rebuilding')!.atMs + 10;
    const s = lossyWhileCopying(seed, lossyAtMs);
    const result = runAndCountMissing(s);
    const rebuilt = roles(result.trace, 'db-3').find((e) => e.role === 'standby' && e.reason.startsWith('rebuilt from a base backup'));
    expect(rebuilt?.atMs).toBeLessThan(lossyAtMs + 10_000);
    expect(result.finalPrimary).toBe('db-1');
    expectHealed(result, s);
  });
});
