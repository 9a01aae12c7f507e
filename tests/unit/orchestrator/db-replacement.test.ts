// Proves the leading agent's replacement of a lost database node on the machine alone: it asks the cloud about a node that fails its checks and replaces one whose disk is lost through the log; a node down past replaceDatabaseAfterMs is replaced too, one whose data centre is dark never; nothing is replaced while the primary is not healthy; a node that answers again before the commit keeps its place; a replayed or duplicate entry is a no-op; and the database nodes hear of a replacement only once its machine was asked for.
import { describe, expect, it } from 'vitest';
import type { AgentEffect } from '../../../src/sim/machines/orchestrator/types';
import type { NodeId } from '../../../src/sim/machines/protocol';
import type { Settings } from '../../../src/sim/scenario/types';
import { AgentHarness } from './harness';

const HISTORY = [{ epoch: 1, startLsn: 0 }];

function leader(settings: Partial<Settings> = {}): AgentHarness {
  const a = new AgentHarness({ standbys: ['sync', 'async'], settings });
  a.role('leader');
  return a;
}

/** One round: the lease is renewed and the primary answers writable; `down` nodes (and machines never made) do not answer, db-2 and db-3 otherwise answer with data. */
function round(a: AgentHarness, down: readonly NodeId[], primaryUp = true): void {
  a.fire('tick');
  a.apply(a.lastLeaseProposal());
  if (primaryUp && a.ctx.awaiting['db-1'] !== undefined) a.reply('db-1', { role: 'primary', writable: true, flushLsn: 5000, ackedLsn: 5000, history: HISTORY });
  for (const db of Object.keys(a.ctx.awaiting)) {
    if (db === 'db-1') continue;
    if (down.includes(db) || (db !== 'db-2' && db !== 'db-3')) a.fire(`timeout:${db}`);
    else a.reply(db, { flushLsn: 5000, history: HISTORY });
  }
  if (!primaryUp) a.fire('timeout:db-1');
}

const cloudAsks = (effects: readonly AgentEffect[]) => effects.flatMap((e) => (e.type === 'cloud-status' ? [e.node] : []));
const provisions = (effects: readonly AgentEffect[]) => effects.flatMap((e) => (e.type === 'provision' ? [[e.node, e.kind, e.replaces]] : []));
const replaceSteps = (effects: readonly AgentEffect[]) => effects.flatMap((e) => (e.type === 'trace' && e.event.type === 'replace' ? [[e.event.step, e.event.dead, e.event.replacement]] : []));

function cloud(a: AgentHarness, node: NodeId, status: { up?: boolean; diskLost?: boolean; dark?: boolean }): void {
  a.actor.send({ type: 'cloud-status', node, up: status.up ?? false, diskLost: status.diskLost ?? false, dark: status.dark ?? false });
}

describe('a lost database node is replaced through the log', () => {
  it('a node that fails failureThreshold checks is asked after; a lost disk is replaced at once, by the next free id', () => {
    const a = leader();
    round(a, ['db-2']);
    round(a, ['db-2']);
    const mark = a.mark();
    round(a, ['db-2']);
    round(a, ['db-2']);
    expect(cloudAsks(a.since(mark))).toContain('db-2');
    const asked = a.mark();
    cloud(a, 'db-2', { diskLost: true });
    expect(a.proposals(asked)).toEqual(['db-replace db-2 db-4']);
    expect(replaceSteps(a.since(asked))).toEqual([['detect', 'db-2', 'db-4']]);
    const applied = a.mark();
    a.apply('db-replace db-2 db-4');
    expect(a.ctx.databases).toEqual(['db-1', 'db-4', 'db-3']);
    expect(provisions(a.since(applied))).toEqual([['db-4', 'database', 'db-2']]);
    expect(replaceSteps(a.since(applied)).map((s) => s[0])).toEqual(['decide', 'provision']);
    // From now on the database nodes hear of it with every check.
    const after = a.mark();
    round(a, []);
    const checks = a.sent(after).filter((s) => s.msg.type === 'HealthCheck');
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) expect(check.msg).toMatchObject({ replaced: { 'db-2': 'db-4' } });
  });

  it('a replayed or duplicate entry is a no-op: never two replacements for one loss', () => {
    const a = leader();
    a.apply('db-replace db-2 db-4');
    const mark = a.mark();
    a.apply('db-replace db-2 db-4');
    a.apply('db-replace db-2 db-5');
    a.apply('db-replace db-3 db-4');
    expect(a.ctx.databases).toEqual(['db-1', 'db-4', 'db-3']);
    expect(a.ctx.dbs.replaced).toEqual({ 'db-2': 'db-4' });
    expect(provisions(a.since(mark))).toEqual([]);
  });

  it('a node down past replaceDatabaseAfterMs is replaced, one that is down for less is not', () => {
    // Becoming leader sends the first checks: after n rounds a silent node has failed n + 1.
    const a = leader({ replaceDatabaseAfterMs: 8000 });
    for (let i = 0; i < 6; i++) round(a, ['db-3']);
    cloud(a, 'db-3', {});
    expect(a.ctx.failures['db-3']).toBe(7);
    expect(a.proposals().filter((p) => p.startsWith('db-'))).toEqual([]);
    round(a, ['db-3']);
    cloud(a, 'db-3', {});
    expect(a.proposals().filter((p) => p.startsWith('db-'))).toEqual(['db-replace db-3 db-4']);
  });

  it('a node whose data centre is dark is never replaced, its disk lost or not', () => {
    const a = leader({ replaceDatabaseAfterMs: 2000 });
    for (let i = 0; i < 6; i++) round(a, ['db-2']);
    cloud(a, 'db-2', { diskLost: true, dark: true });
    expect(a.proposals().filter((p) => p.startsWith('db-'))).toEqual([]);
  });

  it('nothing is replaced while the primary does not answer (a base backup needs one, and a failover comes first)', () => {
    const a = leader();
    for (let i = 0; i < 4; i++) round(a, ['db-3'], false);
    cloud(a, 'db-3', { diskLost: true });
    expect(a.proposals().filter((p) => p.startsWith('db-'))).toEqual([]);
  });

  it('a node that answers with its data again before the commit keeps its place (db-keep, step skip)', () => {
    const a = leader();
    for (let i = 0; i < 4; i++) round(a, ['db-2']);
    cloud(a, 'db-2', { diskLost: true });
    expect(a.proposals().filter((p) => p.startsWith('db-'))).toEqual(['db-replace db-2 db-4']);
    // It comes back (an operator restarted it with its disk restored) before the entry commits.
    round(a, []);
    const mark = a.mark();
    a.apply('db-replace db-2 db-4');
    expect(provisions(a.since(mark))).toEqual([]);
    round(a, []);
    expect(a.proposals(mark)).toContain('db-keep db-2');
    const kept = a.mark();
    a.apply('db-keep db-2');
    expect(replaceSteps(a.since(kept))).toEqual([['skip', 'db-2', 'db-4']]);
    expect(a.ctx.databases).toEqual(['db-1', 'db-2', 'db-3']);
    // The health checks never told the database nodes of a replacement that was not made.
    expect(a.sent().filter((s) => s.msg.type === 'HealthCheck' && 'replaced' in s.msg)).toEqual([]);
  });

  it('a follower agent applies the entry (it watches db-4 from then on) but provisions nothing', () => {
    const a = new AgentHarness({ standbys: ['sync', 'async'] });
    a.role('follower');
    a.apply('db-replace db-2 db-4');
    expect(a.ctx.databases).toEqual(['db-1', 'db-4', 'db-3']);
    expect(provisions(a.effects)).toEqual([]);
  });
});
