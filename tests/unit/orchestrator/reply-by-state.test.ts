// Proves each state of the failover agent takes a health reply with its own part and no other state does: the target writable in the plan's epoch is redirected to only once the Promote is sent (not while the plan is in the log or watched), a target caught up with the old primary is promoted only in a switchover's drain, the old primary back demoted resolves only a fence that failed (a fence under way waits for its answer), and the target's first answer takes a resumed failover on only while resuming.
import { describe, expect, it } from 'vitest';
import { AgentHarness } from './harness';
import { draining, fencing, fencingChecked, promotes, proposed, resuming, state } from './states';

const TOOK_OVER = { role: 'primary', writable: true, epoch: 2 } as const;

describe('the target answers writable in the plan\'s epoch', () => {
  it('while watching, with no plan, nothing is redirected', () => {
    const a = new AgentHarness();
    a.role('leader');
    a.reply('db-2', TOOK_OVER);
    expect(a.failoverSteps()).toEqual([]);
    expect(state(a)).toBe('watching');
  });

  it('while the plan is only proposed, nothing is redirected', () => {
    const a = proposed();
    a.fire('tick');
    a.reply('db-2', TOOK_OVER);
    expect(a.failoverSteps().map((s) => s.step)).toEqual(['detect']);
    expect(state(a)).toBe('confirming');
    expect(a.ctx.primary).toBe('db-1');
  });

  it('once the Promote is sent, clients are redirected to it', () => {
    const a = fencing();
    a.fenceResult('db-1', true);
    expect(state(a)).toBe('promoting');
    a.reply('db-2', TOOK_OVER);
    expect(a.failoverSteps().at(-1)).toMatchObject({ step: 'redirect', ok: true });
    expect(state(a)).toBe('done');
    expect(a.ctx).toMatchObject({ primary: 'db-2', epoch: 2 });
  });
});

describe('the target caught up with the old primary', () => {
  it.each([
    ['the old primary', ['db-2', 'db-1']],
    ['the target', ['db-1', 'db-2']],
  ] as const)('in a switchover\'s drain, it is promoted once both say so, %s answering last', (_last, order) => {
    const a = draining();
    const mark = a.mark();
    const answers = { 'db-1': { role: 'primary', writable: false, flushLsn: 1200 }, 'db-2': { flushLsn: 1200 } } as const;
    a.reply(order[0], answers[order[0]]);
    expect(promotes(a, mark)).toBe(false);
    a.reply(order[1], answers[order[1]]);
    expect(a.failoverSteps(mark).map((s) => s.text)).toEqual([expect.stringMatching(/^db-2 has caught up with db-1/), 'asks db-2 to become primary of epoch 2']);
    expect(promotes(a, mark)).toBe(true);
    expect(state(a)).toBe('promoting');
  });

  it('while a fence is under way, it is not promoted before the fence is done', () => {
    const a = fencingChecked();
    const mark = a.mark();
    a.reply('db-1', { role: 'primary', writable: false, flushLsn: 1200 });
    a.reply('db-2', { flushLsn: 1200 });
    expect(promotes(a, mark)).toBe(false);
    expect(state(a)).toBe('fencing');
  });
});

describe('the old primary answers back demoted', () => {
  it('after a fence failed, nothing is left to fence and the target is promoted', () => {
    const a = fencing();
    a.fenceResult('db-1', false);
    expect(state(a)).toBe('fence-failed');
    a.fire('tick');
    const mark = a.mark();
    a.reply('db-1', { role: 'demoted', writable: false });
    expect(a.failoverSteps(mark)[0]).toMatchObject({ step: 'fence', ok: true, text: expect.stringMatching(/^nothing to fence: db-1 is back/) });
    expect(promotes(a, mark)).toBe(true);
    expect(state(a)).toBe('promoting');
  });

  it('while the fence is under way, it waits for the power controller\'s answer', () => {
    const a = fencingChecked();
    const mark = a.mark();
    a.reply('db-1', { role: 'demoted', writable: false });
    expect(promotes(a, mark)).toBe(false);
    expect(a.since(mark).some((e) => e.type === 'fence')).toBe(false);
    expect(state(a)).toBe('fencing');
  });
});

describe('the target answers as a standby', () => {
  it('a leader resuming a failover takes it on to the fence', () => {
    const a = resuming();
    const mark = a.mark();
    a.reply('db-2');
    expect(a.since(mark).filter((e) => e.type === 'fence')).toEqual([{ type: 'fence', node: 'db-1' }]);
    expect(state(a)).toBe('fencing');
  });

  it('while fencing, the fence is not asked for again', () => {
    const a = fencingChecked();
    const mark = a.mark();
    a.reply('db-2');
    expect(a.since(mark).some((e) => e.type === 'fence')).toBe(false);
    expect(state(a)).toBe('fencing');
  });
});
