// Proves each state of the failover agent takes the timers of its own step and no other state does: a check of the target left unanswered takes a resumed failover on only while resuming (not once the fence is asked for, and not when it gives the plan up), one of the old primary has the fence tried again only after it failed (a fence under way waits for its answer), a round sends the Promote again only while promoting (not before it is sent, nor once the target took over), and the old primary failing its checks (by a reply as no primary, a timeout, or a round that finds its check unanswered) gives a switchover up only while draining.
import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from '../../support/settings';
import type { AgentHarness } from './harness';
import { draining, fencing, fencingChecked, promotes, proposed, resuming, state } from './states';

function fences(a: AgentHarness, mark: number): unknown[] {
  return a.since(mark).filter((e) => e.type === 'fence');
}

describe('a check of the target left unanswered', () => {
  it('while resuming, the failover goes on to the fence without its answer', () => {
    const a = resuming();
    const mark = a.mark();
    a.fire('timeout:db-2');
    expect(fences(a, mark)).toEqual([{ type: 'fence', node: 'db-1' }]);
    expect(state(a)).toBe('fencing');
  });

  it('while resuming, a timeout that gives the plan up takes nothing on', () => {
    const a = resuming({ healthCheck: { ...TEST_SETTINGS.healthCheck, failureThreshold: 1 } });
    const mark = a.mark();
    a.fire('timeout:db-2');
    expect(fences(a, mark)).toEqual([]);
    expect(a.failoverSteps(mark)).toEqual([expect.objectContaining({ ok: false, text: expect.stringMatching(/^db-2 stopped answering after it may have been asked to become primary/) })]);
    expect(state(a)).toBe('watching');
  });

  it('while fencing, the fence is not asked for again', () => {
    const a = fencingChecked();
    const mark = a.mark();
    a.fire('timeout:db-2');
    expect(fences(a, mark)).toEqual([]);
    expect(state(a)).toBe('fencing');
  });
});

describe('a check of the old primary left unanswered', () => {
  it('after a fence failed, the fence is tried again', () => {
    const a = fencing();
    a.fenceResult('db-1', false);
    expect(state(a)).toBe('fence-failed');
    a.fire('tick');
    const mark = a.mark();
    a.fire('timeout:db-1');
    expect(fences(a, mark)).toEqual([{ type: 'fence', node: 'db-1' }]);
    expect(state(a)).toBe('fencing');
  });

  it('while the fence is under way, it waits for the power controller\'s answer', () => {
    const a = fencingChecked();
    const mark = a.mark();
    a.fire('timeout:db-1');
    expect(fences(a, mark)).toEqual([]);
    expect(state(a)).toBe('fencing');
  });
});

describe('a health-check round', () => {
  it('while promoting, sends the Promote again, after the round\'s check', () => {
    const a = fencing();
    a.fenceResult('db-1', true);
    expect(state(a)).toBe('promoting');
    const mark = a.mark();
    a.fire('tick');
    expect(a.sent(mark, 'db-2').map((s) => s.msg.type)).toEqual(['HealthCheck', 'Promote']);
    expect(state(a)).toBe('promoting');
  });

  it('while fencing, or waiting for the old lease, sends no Promote', () => {
    const fenced = fencing();
    const waiting = proposed({ fencing: false });
    waiting.apply('failover db-1 db-2 2');
    expect(state(waiting)).toBe('lease-wait');
    for (const a of [fenced, waiting]) {
      const mark = a.mark();
      a.fire('tick');
      expect(a.sent(mark, 'db-2').map((s) => s.msg.type)).toEqual(['HealthCheck']);
    }
  });

  it('once the target took over, sends no Promote', () => {
    const a = fencing();
    a.fenceResult('db-1', true);
    a.reply('db-2', { role: 'primary', writable: true, epoch: 2 });
    expect(state(a)).toBe('done');
    const mark = a.mark();
    a.fire('tick');
    expect(promotes(a, mark)).toBe(false);
  });
});

/** One round in which the target answers (not caught up) and the old primary fails its check `how`; the next round's checks are sent. */
function oldPrimaryFails(a: AgentHarness, how: 'reply' | 'timeout' | 'round'): void {
  a.reply('db-2', { flushLsn: 1000 });
  if (how === 'reply') a.reply('db-1', { role: 'primary', writable: false, flushLsn: 1200 });
  if (how === 'timeout') a.fire('timeout:db-1');
  a.fire('tick');
}

describe.each(['reply', 'timeout', 'round'] as const)('the old primary failing its checks three times (%s)', (how) => {
  it('in a switchover\'s drain, gives the switchover up', () => {
    const a = draining();
    const mark = a.mark();
    for (let k = 0; k < 3; k++) oldPrimaryFails(a, how);
    expect(a.failoverSteps(mark)).toEqual([expect.objectContaining({ ok: false, text: expect.stringMatching(/^db-1 stopped answering during the switchover/) })]);
    expect(state(a)).toBe('watching');
  });

  it('while fencing, gives nothing up', () => {
    const a = fencingChecked();
    const mark = a.mark();
    for (let k = 0; k < 3; k++) oldPrimaryFails(a, how);
    expect(a.failoverSteps(mark)).toEqual([]);
    expect(state(a)).toBe('fencing');
  });
});

describe('the old primary\'s third failed check in a switchover\'s drain', () => {
  it('is only counted when its reply is what shows the target caught up: the target is promoted, and nothing is given up', () => {
    const a = draining();
    for (let k = 0; k < 2; k++) oldPrimaryFails(a, 'timeout');
    const mark = a.mark();
    a.reply('db-2', { flushLsn: 1200 });
    a.reply('db-1', { role: 'primary', writable: false, flushLsn: 1200 });
    expect(a.ctx.failures['db-1']).toBe(3);
    expect(a.failoverSteps(mark).map((s) => s.ok)).toEqual([true, true]);
    expect(promotes(a, mark)).toBe(true);
    expect(state(a)).toBe('promoting');
  });
});
