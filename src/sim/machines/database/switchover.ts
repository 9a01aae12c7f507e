/**
 * A switchover without orchestrators: the primary stops taking writes, waits for the chosen
 * standby to flush everything, hands it the new epoch and follows it, or gives up at its deadline.
 */
import type { FailoverStep, NodeId } from '../protocol';
import type { DatabaseContext, Handover, Promote } from './types';
import { epochAt, formatLsn } from './wal';
import { TIMER } from './constants';
import { type Step, type Change, run } from './change';
import { becomeDemoted } from './roles';
import { renewsWithWitness } from './witness-duties';

/**
 * An operator's switchover where no orchestrators run (the kernel delivers it to the primary): the
 * safe sequence an operator follows by hand, carried out by the primary itself. It stops taking
 * new writes and keeps streaming; once `to` has flushed all of its WAL (nothing acknowledged can
 * be missing), it asks `to` to open `epoch` and follows it. If `to` has not caught up within
 * `leaseMs`, the switchover is abandoned and it takes writes again. Said step by step in the trace.
 */
export function switchoverByOperator(ctx: DatabaseContext, to: NodeId, epoch: number): Step {
  return run(ctx, (c) => {
    const refuse = (why: string) => handoverStep(c, 'detect', to, epoch, false, `refused the operator's switchover from ${ctx.id} to ${to}: ${why}`);
    if (ctx.role !== 'primary' || !ctx.writable) return refuse(`${ctx.id} is not a primary taking writes`);
    if (ctx.handover !== null) return refuse(`a switchover to ${ctx.handover.to} in epoch ${ctx.handover.epoch} is under way`);
    const stream = ctx.streams[to];
    if (stream === undefined || stream.state === 'stopped') return refuse(`${to} does not stream from ${ctx.id}`);
    if (epoch <= ctx.epoch) return refuse(`epoch ${epoch} is not newer than ${ctx.id}'s epoch ${ctx.epoch}`);
    handoverStep(c, 'detect', to, epoch, true, `an operator asks for the switchover from ${ctx.id} to ${to}`);
    c.set({ writable: false, handover: { to, epoch, promoteSent: false }, reason: `switching over to ${to}: takes no new writes while ${to} catches up` });
    c.trace({ type: 'writable', on: false, epoch: ctx.epoch });
    c.trace({ type: 'role', role: 'primary', term: ctx.epoch, reason: c.ctx.reason });
    handoverStep(c, 'fence', to, epoch, true, `switchover: ${ctx.id} takes no new writes and keeps streaming until ${to} has caught up`);
    c.timer(TIMER.handover, ctx.settings.leaseMs);
    handOverIfCaughtUp(c);
  });
}

/** The standby the primary hands over to has flushed all of its WAL: it is asked to open the new epoch, and this node stops being primary. */
export function handOverIfCaughtUp(c: Change): void {
  const { ctx } = c;
  const handover = ctx.handover;
  if (handover === null || handover.promoteSent || ctx.role !== 'primary') return;
  const stream = ctx.streams[handover.to];
  if (stream === undefined || stream.flushLsn < ctx.flushLsn) return;
  const lsn = ctx.flushLsn;
  handoverStep(c, 'fence', handover.to, handover.epoch, true, `${handover.to} has caught up with ${ctx.id} at ${formatLsn(lsn)}: nothing acknowledged is missing`);
  handoverStep(c, 'promote', handover.to, handover.epoch, true, `${ctx.id} asks ${handover.to} to become primary of epoch ${handover.epoch}`);
  c.set({ handover: { ...handover, promoteSent: true } });
  c.send(handover.to, handoverPromote(c.ctx, handover));
  becomeDemoted(c, ctx.epoch, `handed the primary role over to ${handover.to}; follows it once it writes in epoch ${handover.epoch}`);
  c.timer(TIMER.handover, ctx.settings.healthCheck.intervalMs);
}

function handoverPromote(ctx: DatabaseContext, handover: Handover): Promote {
  const promote: Promote = { type: 'Promote', epoch: handover.epoch, minLsn: ctx.flushLsn, timeline: epochAt(ctx.history, ctx.flushLsn), switchover: true };
  // With a witness, the Promote may arrive late, after the lock moved on: the target first asks the
  // witness for the lock this node held in its epoch (witness-mode.ts, `switchoverPromote`).
  return renewsWithWitness(ctx) ? { ...promote, handedBy: { node: ctx.id, epoch: ctx.epoch } } : promote;
}

/**
 * The handover timer: before the Promote was sent, the deadline (the switchover is abandoned and
 * this primary takes writes again); after it, a resend of the Promote until the new primary is
 * heard from (a lost Promote would otherwise leave no primary at all).
 */
export function handoverTimer(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    const handover = ctx.handover;
    if (handover === null) return;
    if (handover.promoteSent) {
      if (ctx.role !== 'demoted' || ctx.epoch >= handover.epoch) return c.set({ handover: null });
      c.send(handover.to, handoverPromote(ctx, handover));
      c.timer(TIMER.handover, ctx.settings.healthCheck.intervalMs);
      return;
    }
    c.set({ handover: null });
    if (ctx.role !== 'primary' || ctx.writable) return;
    const text = `${handover.to} did not catch up with ${ctx.id} within ${ctx.settings.leaseMs} ms: the switchover is abandoned and ${ctx.id} takes writes again`;
    c.trace({ type: 'failover', step: 'fence', from: ctx.id, to: handover.to, epoch: handover.epoch, ok: false, text, abandoned: true });
    c.set({ writable: true, reason: `primary of epoch ${ctx.epoch} again: the switchover to ${handover.to} was abandoned` });
    c.trace({ type: 'writable', on: true, epoch: ctx.epoch });
    c.trace({ type: 'role', role: 'primary', term: ctx.epoch, reason: c.ctx.reason });
  });
}

/** The old primary of a switchover hears its successor write in the new epoch: the switchover is done. */
export function handoverDone(c: Change, from: NodeId, epoch: number): void {
  const handover = c.ctx.handover;
  if (handover === null || !handover.promoteSent || from !== handover.to || epoch < handover.epoch) return;
  c.set({ handover: null });
  c.cancel(TIMER.handover);
  handoverStep(c, 'redirect', handover.to, handover.epoch, true, `${handover.to} accepts writes in epoch ${handover.epoch}: clients now write to it`);
}

function handoverStep(c: Change, step: FailoverStep, to: NodeId, epoch: number, ok: boolean, text: string): void {
  c.trace({ type: 'failover', step, from: c.ctx.id, to, epoch, ok, text });
}
