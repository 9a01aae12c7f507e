// `settings.appendResetsHeartbeat`: a leader's round of AppendEntries carrying new entries counts as
// its heartbeat (RaftScope's way), so a busy leader sends no separate heartbeat until
// `heartbeatMs` after it; off, heartbeats keep their own clock and each round of entries is sent
// besides (etcd's way). Either way every proposal commits.
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../../src/sim';

/** 5 orchestrators, 50 ms heartbeats, a proposal every 100 ms, for 60 simulated seconds. */
function run(appendResetsHeartbeat: boolean) {
  const parsed = parseScenario({
    version: 1,
    title: 'a busy leader',
    seed: 7,
    durationMs: 60_000,
    topology: { orchestrators: 5, servers: 0 },
    settings: { electionTimeoutMs: [100, 200], heartbeatMs: 50, latencyMs: { local: [10, 15], crossRegion: [60, 90] }, appendResetsHeartbeat },
    workload: { proposalsPerSec: 10 },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const { report, trace } = runScenario(parsed.scenario);
  const leader = report.leaders.at(-1)!.node;
  const applied = trace.filter((e) => e.type === 'apply' && e.node === leader).length;
  return { messagesPerSec: report.stats.messages / 60, applied, leaders: report.leaders.length, ok: report.invariants.every((i) => i.ok) };
}

describe('entries counted as the heartbeat', () => {
  it('is on by default', () => {
    const parsed = parseScenario({ version: 1, title: 't', seed: 1, durationMs: 1000, topology: { orchestrators: 3, servers: 0 } });
    expect(parsed.ok && parsed.scenario.settings.appendResetsHeartbeat).toBe(true);
  });

  it('on: 20 rounds a second to each of 4 followers, and their replies (160 messages); off: 30 rounds (240)', () => {
    const on = run(true);
    const off = run(false);
    expect(on.messagesPerSec).toBeGreaterThan(155);
    expect(on.messagesPerSec).toBeLessThan(165);
    expect(off.messagesPerSec).toBeGreaterThan(235);
    expect(off.messagesPerSec).toBeLessThan(245);
  });

  it('changes nothing of what commits: one leader, every proposal applied, no invariant broken', () => {
    for (const setting of [true, false]) {
      const { applied, leaders, ok } = run(setting);
      expect(leaders).toBe(1);
      expect(applied).toBeGreaterThanOrEqual(595); // 600 proposals and the leader's no-op, less the last few still in flight
      expect(ok).toBe(true);
    }
  });
});
