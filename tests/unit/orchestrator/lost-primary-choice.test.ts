// Proves the agent's choice when the failing primary's disk is lost and the log holds its cleared
// naming (durability degraded): the cleared naming no longer refuses the last named standby, yet a
// naming of another standby still counts, and a node that does not answer (it may hold more) is
// waited for; the primary's data is known gone from an empty data directory or from the cloud.
import { describe, expect, it } from 'vitest';
import { chooseStandby, initialContext } from '../../../src/sim/machines/orchestrator/logic';
import type { AgentContext } from '../../../src/sim/machines/orchestrator/types';
import type { HealthReply, SyncNaming } from '../../../src/sim/machines/database/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

/** db-1 primary of epoch 1 with a synchronous db-2 and an asynchronous db-3; the log holds db-1's naming number `logGen` of epoch 1, which cleared its naming. */
function agent(logGen: number, replies: Record<string, HealthReply>, cloud: AgentContext['dbs']['cloud'] = {}): AgentContext {
  const topology = { ...TEST_TOPOLOGY, database: { standbys: [{ replication: 'sync' as const, region: 'primary' as const }, { replication: 'async' as const, region: 'primary' as const }], witness: false } };
  const ctx = initialContext({ id: 'orch-1', peers: [], disk: null, settings: TEST_SETTINGS, topology });
  return { ...ctx, syncLog: { epoch: 1, gen: logGen }, replies, failures: { 'db-1': 3 }, dbs: { ...ctx.dbs, cloud } };
}

function standby(flushLsn: number, sync: SyncNaming | null, id: string): HealthReply {
  return { type: 'HealthReply', seq: 1, role: 'standby', epoch: 1, writable: false, flushLsn, replayLsn: flushLsn, sync, synchronous: sync?.standby === id, history: [{ epoch: 1, startLsn: 0 }] };
}

const EMPTY: HealthReply = { type: 'HealthReply', seq: 1, role: 'standby', epoch: 0, writable: false, flushLsn: 0, replayLsn: 0, sync: null, synchronous: false, history: [] };
const named = (standbyId: string, gen: number): SyncNaming => ({ standby: standbyId, epoch: 1, gen });

describe('the primary’s disk is lost while the log holds its cleared naming', () => {
  it('while db-1 may still hold its data (down, disk not reported lost), nobody is promoted: db-2’s naming was cleared', () => {
    const ctx = agent(2, { 'db-2': standby(900, named('db-2', 1), 'db-2'), 'db-3': standby(800, named('db-2', 1), 'db-3') });
    expect(chooseStandby(ctx, 'db-1')).toBeNull();
  });

  it('db-1 answers with an empty data directory: db-2, the last named, whose WAL goes furthest, is promoted', () => {
    const ctx = agent(2, { 'db-1': EMPTY, 'db-2': standby(900, named('db-2', 1), 'db-2'), 'db-3': standby(800, named('db-2', 1), 'db-3') });
    expect(chooseStandby(ctx, 'db-1')).toBe('db-2');
  });

  it('the cloud reports db-1’s disk lost while it is down: the same', () => {
    const ctx = agent(2, { 'db-2': standby(900, named('db-2', 1), 'db-2'), 'db-3': standby(800, named('db-2', 1), 'db-3') }, { 'db-1': { up: false, diskLost: true, dark: false } });
    expect(chooseStandby(ctx, 'db-1')).toBe('db-2');
  });

  it('db-3 was named after the clearing and answers: it is promoted, not db-2, though db-2 holds more WAL', () => {
    const ctx = agent(2, { 'db-1': EMPTY, 'db-2': standby(900, named('db-2', 1), 'db-2'), 'db-3': standby(850, named('db-3', 3), 'db-3') });
    expect(chooseStandby(ctx, 'db-1')).toBe('db-3');
  });

  it('a node that does not answer may hold more (it may be the one named later): nobody is promoted until it answers', () => {
    const ctx = agent(2, { 'db-1': EMPTY, 'db-2': standby(900, named('db-2', 1), 'db-2') });
    expect(chooseStandby(ctx, 'db-1')).toBeNull();
    const failing = { ...agent(2, { 'db-1': EMPTY, 'db-2': standby(900, named('db-2', 1), 'db-2'), 'db-3': standby(800, null, 'db-3') }), failures: { 'db-1': 3, 'db-3': 2 } };
    expect(chooseStandby(failing, 'db-1')).toBeNull();
  });

  it('a node whose disk was lost too holds nothing to wait for: the one that holds data is promoted', () => {
    const ctx = agent(2, { 'db-1': EMPTY, 'db-2': standby(900, named('db-2', 1), 'db-2'), 'db-3': EMPTY });
    expect(chooseStandby(ctx, 'db-1')).toBe('db-2');
  });
});
