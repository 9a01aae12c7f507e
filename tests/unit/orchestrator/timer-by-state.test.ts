// Proves each state of the failover agent takes the timers of its own step and no other state does: a check of the target left unanswered takes a resumed failover on only while resuming (not once the fence is asked for, and not when it gives the plan up), one of the old primary has the fence tried again only after it failed (a fence under way waits for its answer), and a round sends the Promote again only while promoting (not before it is sent, nor once the target took over).
import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from '../../support/settings';
import type { AgentHarness } from './harness';
import { fencing, fencingChecked, promotes, proposed, resuming, state } from './states';

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
