// Proves that a database node learns its peers from the orchestrators' health checks: a replacement joins them and inherits the lost node's replication mode, the node replaced leaves them (and stops holding writes back as a former synchronous standby), and what it learned is never forgotten when a later check says less.
import { describe, expect, it } from 'vitest';
import { answerHealthCheck, initialContext, syncStandbysOf } from '../../../src/sim/machines/database/logic';
import type { DatabaseContext } from '../../../src/sim/machines/database/types';
import type { Topology } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

const topology: Topology = { ...TEST_TOPOLOGY, database: { standbys: [{ replication: 'sync', region: 'primary' }, { replication: 'async', region: 'dr' }], witness: false } };

function primary(patch: Partial<DatabaseContext> = {}): DatabaseContext {
  const ctx = initialContext({ id: 'db-1', peers: ['db-2', 'db-3'], disk: null, settings: TEST_SETTINGS, topology });
  return { ...ctx, ...patch };
}

function check(ctx: DatabaseContext, replaced?: Record<string, string>): DatabaseContext {
  const step = answerHealthCheck(ctx, 'orch-1', replaced === undefined ? { type: 'HealthCheck', seq: 1 } : { type: 'HealthCheck', seq: 1, replaced });
  return { ...ctx, ...step.patch };
}

describe('peers from the health checks', () => {
  it('a replacement joins the peers in place of the node it replaced, with its replication mode', () => {
    const before = primary();
    expect(syncStandbysOf(before)).toEqual(['db-2']);
    const after = check(before, { 'db-2': 'db-4' });
    expect(after.peers).toEqual(['db-3', 'db-4']);
    expect(syncStandbysOf(after)).toEqual(['db-4']);
  });

  it('the node replaced no longer holds writes back as a former synchronous standby', () => {
    const after = check(primary({ role: 'primary', syncFormers: ['db-2'] }), { 'db-2': 'db-4' });
    expect(after.syncFormers).toEqual([]);
  });

  it('a check that says less (a new leader that has not yet seen the replacement) forgets nothing', () => {
    const learned = check(primary(), { 'db-2': 'db-4' });
    const later = check(learned, {});
    expect(later.peers).toEqual(['db-3', 'db-4']);
    expect(later.replaced).toEqual({ 'db-2': 'db-4' });
    expect(check(learned).peers).toEqual(['db-3', 'db-4']);
  });

  it('a replacement of a replacement takes the first lost node’s mode', () => {
    const twice = check(check(primary(), { 'db-2': 'db-4' }), { 'db-2': 'db-4', 'db-4': 'db-5' });
    expect(twice.peers).toEqual(['db-3', 'db-5']);
    expect(syncStandbysOf(twice)).toEqual(['db-5']);
  });
});
