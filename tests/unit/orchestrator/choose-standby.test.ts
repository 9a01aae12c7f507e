// Proves the agent's choice of the standby to promote where replication is synchronous and the primary names its synchronous standby: only a standby whose reply says it was named, in the newest epoch known (never older than the failing primary's), is eligible, whatever the topology marks; one that says it was not named is never taken; a reply that does not say goes by the topology.
import { describe, expect, it } from 'vitest';
import { chooseStandby, initialContext } from '../../../src/sim/machines/orchestrator/logic';
import type { AgentContext } from '../../../src/sim/machines/orchestrator/types';
import type { HealthReply, SyncNaming } from '../../../src/sim/machines/database/types';
import type { ReplicationMode } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

function agent(standbys: readonly ReplicationMode[], epoch = 1): AgentContext {
  const topology = { ...TEST_TOPOLOGY, database: { standbys: standbys.map((replication) => ({ replication, region: 'primary' as const })), witness: false } };
  return { ...initialContext({ id: 'orch-1', peers: [], disk: null, settings: TEST_SETTINGS, topology }), epoch, highestEpoch: epoch };
}

function standby(flushLsn: number, synchronous: boolean | undefined, sync: SyncNaming | null, epoch = sync?.epoch ?? 1): HealthReply {
  const reply: HealthReply = { type: 'HealthReply', seq: 1, role: 'standby', epoch, writable: false, flushLsn, replayLsn: flushLsn, sync };
  return synchronous === undefined ? reply : { ...reply, synchronous };
}

function withReplies(ctx: AgentContext, replies: Record<string, HealthReply>): AgentContext {
  return { ...ctx, replies };
}

describe('choosing the standby when the primary names its synchronous standby', () => {
  it('takes the named standby, even one the topology marks asynchronous, over a more advanced one that was not named', () => {
    const ctx = withReplies(agent(['sync', 'async']), {
      'db-2': standby(900, false, { standby: 'db-3', epoch: 1, gen: 2 }),
      'db-3': standby(500, true, { standby: 'db-3', epoch: 1, gen: 2 }),
    });
    expect(chooseStandby(ctx, 'db-1')).toBe('db-3');
  });

  it('promotes nobody when the named standby does not answer, though the topology’s synchronous one does', () => {
    const ctx = withReplies(agent(['sync', 'async']), { 'db-2': standby(900, false, { standby: 'db-3', epoch: 1, gen: 2 }) });
    expect(chooseStandby(ctx, 'db-1')).toBeNull();
  });

  it('ignores a naming by an earlier primary: it may lack what the newer one acknowledged', () => {
    // db-2 was named in epoch 1 and was cut off since; db-1 is now primary of epoch 2 (known from the log).
    const stale = withReplies(agent(['sync', 'async'], 2), { 'db-2': standby(900, true, { standby: 'db-2', epoch: 1, gen: 1 }) });
    expect(chooseStandby(stale, 'db-1')).toBeNull();
    const both = withReplies(agent(['sync', 'async'], 1), {
      'db-2': standby(900, true, { standby: 'db-2', epoch: 1, gen: 1 }),
      'db-3': standby(400, true, { standby: 'db-3', epoch: 2, gen: 1 }),
    });
    expect(chooseStandby(both, 'db-1')).toBe('db-3');
  });

  it('among several named in the same epoch (a former that has not yet heard it was replaced), the most advanced', () => {
    const ctx = withReplies(agent(['sync', 'async']), {
      'db-2': standby(700, true, { standby: 'db-2', epoch: 1, gen: 1 }),
      'db-3': standby(800, true, { standby: 'db-3', epoch: 1, gen: 2 }),
    });
    expect(chooseStandby(ctx, 'db-1')).toBe('db-3');
  });

  it('a reply that does not say goes by the topology; with asynchronous replication only, any standby that answers', () => {
    const unsaid = withReplies(agent(['async', 'sync']), { 'db-2': standby(900, undefined, null), 'db-3': standby(300, undefined, null) });
    expect(chooseStandby(unsaid, 'db-1')).toBe('db-3');
    const async = withReplies(agent(['async', 'async']), { 'db-2': standby(100, false, null), 'db-3': standby(300, false, null) });
    expect(chooseStandby(async, 'db-1')).toBe('db-3');
  });
});
