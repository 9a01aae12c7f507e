// Proves that every Bully timeout is derived from the scenario settings as documented in logic.ts.
import { describe, expect, it } from 'vitest';
import { BullyCluster, SETTINGS, electedCluster } from './harness';

const settings = { ...SETTINGS, heartbeatMs: 50, electionTimeoutMs: [300, 600] as const, latencyMs: { local: [1, 5] as const, crossRegion: [40, 70] as const } };

describe('Bully timings', () => {
  it('listens for one heartbeat interval plus an answer timeout after boot', () => {
    const cluster = BullyCluster.booted(2, settings);
    expect(cluster.timer('orch-1', 'listen')).toEqual({ type: 'set-timer', name: 'listen', afterMs: 50 + 140 });
  });

  it('waits a round trip at the worst cross-region latency for an Answer, then an election timeout for the Coordinator', () => {
    const cluster = BullyCluster.booted(3, settings);
    cluster.fire('orch-1', 'listen');
    expect(cluster.timer('orch-1', 'coordinator')).toEqual({ type: 'set-random-timer', name: 'coordinator', minMs: 300, maxMs: 600 });

    cluster.fire('orch-2', 'listen');
    cluster.crash('orch-3');
    cluster.fire('orch-2', 'coordinator');
    expect(cluster.timer('orch-2', 'answer')).toEqual({ type: 'set-timer', name: 'answer', afterMs: 140 });
  });

  it('heartbeats every heartbeatMs and re-arms the followers\' randomized election timeout on each one', () => {
    const cluster = electedCluster(3);
    expect(cluster.timer('orch-3', 'heartbeat')).toEqual({ type: 'set-timer', name: 'heartbeat', afterMs: SETTINGS.heartbeatMs });
    cluster.fire('orch-3', 'heartbeat');
    expect(cluster.timer('orch-1', 'election')).toEqual({ type: 'set-random-timer', name: 'election', minMs: 1000, maxMs: 2000 });
  });
});
