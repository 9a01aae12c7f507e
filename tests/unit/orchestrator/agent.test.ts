// Proves the orchestrator agent's failover rules on the machine alone: the lease is renewed only once its log entry is applied, a failure is detected after exactly failureThreshold missed checks, a failover acts only after its log entry is applied (at once with quorum off), the most up-to-date standby is chosen, and the old primary is fenced before anything is promoted, unless it announced it is back demoted (then nothing is fenced, and a failed fence is resolved); the machine's state follows the plan's step.
import { describe, expect, it } from 'vitest';
import { AgentHarness, type AgentOptions } from './harness';
import type { NodeId } from '../../../src/sim/machines/protocol';

/**
 * A leading agent whose primary, db-1, has just failed three checks in a row, the standbys
 * answering with `standbyFlush`: with quorum on, the failover is proposed.
 */
function failedThreeTimes(options: AgentOptions = {}, standbyFlush?: Readonly<Record<NodeId, number>>): AgentHarness {
  const a = new AgentHarness(options);
  a.role('leader');
  for (let k = 0; k < 3; k++) a.failedRound(standbyFlush);
  return a;
}

/** An agent that was a follower when the failover db-1 → db-2 was applied, and leads now: the failover is its to finish. */
function inheritedFailover(): AgentHarness {
  const a = new AgentHarness();
  a.role('follower');
  a.apply('failover db-1 db-2 2');
  a.role('leader');
  return a;
}

/** db-1 says unasked how it came back (seq 0), as a restarted former primary does. */
function announce(a: AgentHarness, role: 'demoted' | 'primary', writable: boolean): void {
  a.actor.send({ type: 'message', from: 'db-1', msg: { type: 'HealthReply', seq: 0, role, epoch: 1, writable, flushLsn: 1000, replayLsn: 1000 } });
}

describe('lease renewal through the log', () => {
  it('a leader proposes the lease entry and renews the primary only once that entry is applied', () => {
    const a = new AgentHarness();
    const start = a.mark();
    a.role('leader');
    expect(a.proposals(start)).toEqual(['lease db-1 1 orch-1#1.1']);
    expect(a.sent(start, 'db-1')).toEqual([]);
    const beforeApply = a.mark();
    a.apply('lease db-1 1 orch-1#1.1');
    expect(a.sent(beforeApply, 'db-1')).toEqual([{ to: 'db-1', msg: { type: 'HealthCheck', seq: expect.any(Number), lease: true } }]);
  });

  it('an applied lease entry of an earlier round, of an earlier leadership, or of another agent, renews nothing', () => {
    const a = new AgentHarness();
    a.role('leader');
    a.fire('tick');
    const mark = a.mark();
    a.apply('lease db-1 1 orch-1#1.1');
    a.apply('lease db-1 1 orch-1#0.2');
    a.apply('lease db-1 1 orch-2#1.2');
    expect(a.sent(mark, 'db-1')).toEqual([]);
    a.apply('lease db-1 1 orch-1#1.2');
    expect(a.sent(mark, 'db-1')).toHaveLength(1);
  });

  it('a follower agent with quorum on proposes and checks nothing', () => {
    const a = new AgentHarness();
    a.role('follower');
    a.fire('tick');
    a.apply('lease db-1 1 orch-2#1.1');
    expect(a.effects).toEqual([]);
  });

  it('standbys are checked without the lease flag', () => {
    const a = new AgentHarness({ standbys: ['sync', 'async'] });
    a.role('leader');
    expect(a.sent().map((s) => [s.to, s.msg])).toEqual([
      ['db-2', { type: 'HealthCheck', seq: 1 }],
      ['db-3', { type: 'HealthCheck', seq: 2 }],
    ]);
  });
});

describe('detection', () => {
  it('detects after failureThreshold failed checks in a row, not before', () => {
    const a = new AgentHarness();
    a.role('leader');
    a.failedRound();
    a.failedRound();
    expect(a.failoverSteps()).toEqual([]);
    a.failedRound();
    expect(a.failoverSteps().map((s) => s.step)).toEqual(['detect']);
    expect(a.failoverSteps()[0]!.text).toMatch(/db-1 failed 3 health checks in a row; db-2/);
  });

  it('an answer in between starts the count again', () => {
    const a = new AgentHarness();
    a.role('leader');
    a.failedRound();
    a.failedRound();
    a.fire('tick');
    a.apply(a.lastLeaseProposal());
    a.reply('db-1', { role: 'primary', writable: true });
    a.failedRound();
    a.failedRound();
    expect(a.failoverSteps()).toEqual([]);
  });

  it('a primary that answers but no longer writes (its lease ran out) counts as failing', () => {
    const a = new AgentHarness({ settings: { healthCheck: { intervalMs: 1000, timeoutMs: 500, failureThreshold: 1 } } });
    a.role('leader');
    a.reply('db-2', { flushLsn: 100 });
    a.apply(a.lastLeaseProposal());
    a.reply('db-1', { role: 'demoted', writable: false });
    expect(a.failoverSteps().map((s) => s.step)).toEqual(['detect']);
  });
});

describe('confirm, fence, promote, redirect', () => {
  it('with quorum on it proposes the failover and acts only once the entry is applied', () => {
    const a = failedThreeTimes();
    expect(a.proposals().at(-1)).toBe('failover db-1 db-2 2 1000/0');
    expect(a.since(0).some((e) => e.type === 'fence')).toBe(false);
    expect(a.sent(0, 'db-2').some((s) => s.msg.type === 'Promote')).toBe(false);
    const mark = a.mark();
    a.apply('failover db-1 db-2 2');
    expect(a.failoverSteps(mark).map((s) => s.step)).toEqual(['confirm']);
    expect(a.since(mark).filter((e) => e.type === 'fence')).toEqual([{ type: 'fence', node: 'db-1' }]);
  });

  it('fences the old primary before promoting, then redirects once the new primary writes in the new epoch', () => {
    const a = failedThreeTimes();
    a.apply('failover db-1 db-2 2');
    expect(a.sent(0, 'db-2').some((s) => s.msg.type === 'Promote')).toBe(false);
    const mark = a.mark();
    a.fenceResult('db-1', true);
    expect(a.sent(mark, 'db-2').map((s) => s.msg.type)).toEqual(['Promote', 'HealthCheck']);
    expect(a.sent(mark, 'db-2')[0]!.msg).toEqual({ type: 'Promote', epoch: 2, minLsn: 0, timeline: 0 });
    a.reply('db-2', { role: 'primary', writable: true, epoch: 2 });
    expect(a.failoverSteps().map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote', 'redirect']);
    expect(a.ctx).toMatchObject({ primary: 'db-2', epoch: 2 });
    // The new primary's lease is renewed from the next round on.
    a.fire('tick');
    expect(a.lastLeaseProposal()).toBe('lease db-2 2 orch-1#1.5');
  });

  it('when fencing fails, nothing is promoted, and it says so', () => {
    const a = failedThreeTimes();
    a.apply('failover db-1 db-2 2');
    a.fenceResult('db-1', false);
    a.fire('tick');
    expect(a.sent(0, 'db-2').some((s) => s.msg.type === 'Promote')).toBe(false);
    expect(a.failoverSteps().at(-1)).toMatchObject({ step: 'fence', ok: false, text: expect.stringMatching(/nothing is promoted/) });
  });

  it('a former primary that announces it is back demoted is not fenced: the plan goes on to promote', () => {
    const a = failedThreeTimes();
    expect(a.actor.getSnapshot().value).toBe('confirming');
    // db-1 restarted and says so unasked (seq 0), before the failover entry is applied.
    announce(a, 'demoted', false);
    const mark = a.mark();
    a.apply('failover db-1 db-2 2');
    expect(a.since(mark).some((e) => e.type === 'fence')).toBe(false);
    expect(a.failoverSteps(mark)).toMatchObject([{ step: 'confirm' }, { step: 'fence', ok: true, text: 'nothing to fence: db-1 answers as a demoted former primary and takes no writes' }, { step: 'promote' }]);
    expect(a.actor.getSnapshot().value).toBe('promoting');
  });

  it('an announcement that does not say demoted and read-only changes nothing: the old primary is fenced', () => {
    const a = failedThreeTimes();
    announce(a, 'primary', true);
    const mark = a.mark();
    a.apply('failover db-1 db-2 2');
    expect(a.since(mark).filter((e) => e.type === 'fence')).toEqual([{ type: 'fence', node: 'db-1' }]);
    expect(a.actor.getSnapshot().value).toBe('fencing');
  });

  it('a failed fence is resolved when the old primary announces it is back demoted', () => {
    const a = failedThreeTimes();
    a.apply('failover db-1 db-2 2');
    a.fenceResult('db-1', false);
    expect(a.actor.getSnapshot().value).toBe('fence-failed');
    const mark = a.mark();
    announce(a, 'demoted', false);
    expect(a.sent(mark, 'db-2').map((s) => s.msg.type)).toEqual(['Promote', 'HealthCheck']);
    expect(a.actor.getSnapshot().value).toBe('promoting');
  });

  it('with fencing off and quorum on, it waits for the old lease to run out before promoting', () => {
    const a = failedThreeTimes({ settings: { fencing: false } });
    a.apply('failover db-1 db-2 2');
    expect(a.since(0).some((e) => e.type === 'fence')).toBe(false);
    expect(a.sent(0, 'db-2').some((s) => s.msg.type === 'Promote')).toBe(false);
    const mark = a.mark();
    a.fire('lease-guard');
    expect(a.sent(mark, 'db-2')[0]!.msg).toEqual({ type: 'Promote', epoch: 2, minLsn: 0, timeline: 0 });
  });

  it('with quorum off, every agent watches alone and acts at once, without the log', () => {
    const a = new AgentHarness({ settings: { quorum: false, fencing: false } });
    a.role('follower');
    for (let k = 0; k < 3; k++) {
      a.fire('tick');
      if (a.ctx.awaiting['db-2'] !== undefined) a.reply('db-2', { flushLsn: 500 });
      a.fire('timeout:db-1');
    }
    expect(a.proposals()).toEqual([]);
    expect(a.failoverSteps().map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote']);
    expect(a.sent(0, 'db-2').find((s) => s.msg.type === 'Promote')?.msg).toEqual({ type: 'Promote', epoch: 2, minLsn: 500, timeline: 0 });
  });

  it('a new leader finishes a failover an earlier leader left half done', () => {
    const a = inheritedFailover();
    // It first asks the target whether the promotion already happened; it did not.
    a.reply('db-2', { role: 'standby', writable: false });
    expect(a.since(0).filter((e) => e.type === 'fence')).toEqual([{ type: 'fence', node: 'db-1' }]);
    a.fenceResult('db-1', true);
    expect(a.sent(0, 'db-2').find((s) => s.msg.type === 'Promote')?.msg).toEqual({ type: 'Promote', epoch: 2, minLsn: 0, timeline: 0 });
  });

  it('a new leader that finds the failover already done only notes it', () => {
    const a = inheritedFailover();
    a.reply('db-2', { role: 'primary', writable: true, epoch: 2 });
    expect(a.since(0).some((e) => e.type === 'fence')).toBe(false);
    expect(a.ctx).toMatchObject({ primary: 'db-2', epoch: 2 });
  });
});

describe('choosing the standby', () => {
  it('takes the highest flushed LSN among asynchronous standbys', () => {
    const a = failedThreeTimes({ standbys: ['async', 'async'] }, { 'db-2': 100, 'db-3': 300 });
    expect(a.proposals().at(-1)).toBe('failover db-1 db-3 2 300/0');
  });

  it('takes a synchronous standby first: it holds every acknowledged write', () => {
    const a = failedThreeTimes({ standbys: ['async', 'sync'] }, { 'db-2': 900, 'db-3': 300 });
    expect(a.proposals().at(-1)).toBe('failover db-1 db-3 2 300/0');
  });

  it('with synchronous replication promotes only a synchronous standby, and says so when none answers', () => {
    // db-2 (sync) is silent, db-3 (async) answers: db-3 may lack acknowledged writes, so nothing is promoted.
    const a = failedThreeTimes({ standbys: ['sync', 'async'] }, { 'db-3': 300 });
    expect(a.proposals().filter((p) => p.startsWith('failover'))).toEqual([]);
    expect(a.failoverSteps()).toEqual([{ step: 'detect', ok: false, text: expect.stringMatching(/no standby that surely holds every acknowledged write answers/) }]);
    // With asynchronous standbys only, the one that answers is taken.
    const b = failedThreeTimes({ standbys: ['async', 'async'] }, { 'db-3': 300 });
    expect(b.proposals().at(-1)).toBe('failover db-1 db-3 2 300/0');
  });
});

describe('a second writer in the primary’s epoch', () => {
  /** A leading agent watching db-1 in epoch 1, whose check of db-2 is answered: db-2 takes writes in `epoch`. */
  function db2Writes(epoch: number, settings: AgentOptions['settings'] = {}): { a: AgentHarness; start: number } {
    const a = new AgentHarness({ settings });
    a.role('leader');
    if (settings.quorum === false) a.fire('tick');
    else a.apply('lease db-1 1 orch-1#1.1');
    const start = a.mark();
    a.reply('db-2', { role: 'primary', epoch, writable: true, flushLsn: 1500, history: [{ epoch: 1, startLsn: 0 }, { epoch, startLsn: 900, openedBy: 'db-2' }] });
    return { a, start };
  }

  it('an operator promoted by hand, in an epoch the log gave again: told to follow the log’s primary', () => {
    const { a, start } = db2Writes(1);
    expect(a.sent(start, 'db-2')).toEqual([{ to: 'db-2', msg: { type: 'Demote', epoch: 1, primary: 'db-1' } }]);
    expect(a.ctx.primary).toBe('db-1');
  });

  it('in a newer epoch than the log knows, it is adopted instead, and told nothing', () => {
    const { a, start } = db2Writes(2);
    expect(a.sent(start, 'db-2')).toEqual([]);
    expect(a.ctx.primary).toBe('db-2');
  });

  it('with quorum off no log keeps the epochs: it is told nothing', () => {
    const { a, start } = db2Writes(1, { quorum: false });
    expect(a.sent(start, 'db-2').filter((s) => s.msg.type === 'Demote')).toEqual([]);
  });
});
