/**
 * The witness's rules as plain functions. It renews the lease of the node that holds the lock in
 * its epoch; it hands the lock to a standby, in a newer epoch, only once the holder's lease has
 * run out on the witness's own clock. A restarted witness first waits out a whole lease: it
 * cannot know whether the holder renewed while it was down.
 *
 * The primary counts its own lease from before it asked (see database/logic.ts), so it stops
 * writing before the witness's lease for it runs out: when the witness hands the lock over, the
 * old holder has already stopped.
 */
import type { Effect, NodeId } from '../protocol';
import type { ProgramInput } from '../program';
import { FIRST_PRIMARY } from '../database/logic';
import type { LeaseRenew, LockRequest, WitnessContext, WitnessDisk, WitnessMessage, WitnessReply } from './types';

export const TIMER = { lease: 'lease' } as const;

export interface Step {
  readonly patch: Partial<WitnessContext>;
  readonly effects: readonly Effect<WitnessMessage>[];
}

export function initialWitnessContext(input: ProgramInput<WitnessDisk>): WitnessContext {
  const disk = input.disk;
  return {
    id: input.id,
    settings: input.settings,
    holder: disk?.holder ?? FIRST_PRIMARY,
    epoch: disk?.epoch ?? 1,
    live: true,
    handovers: 0,
    reason: disk ? `restarted: treats ${disk.holder}'s lease (epoch ${disk.epoch}) as alive for one whole lease` : `${FIRST_PRIMARY} holds the lock in epoch 1`,
  };
}

export function witnessDiskOf(ctx: WitnessContext): WitnessDisk {
  return { holder: ctx.holder, epoch: ctx.epoch };
}

/** On boot the holder's lease runs for one whole lease from now. */
export function boot(ctx: WitnessContext): Step {
  return { patch: {}, effects: [leaseTimer(ctx)] };
}

function leaseTimer(ctx: WitnessContext): Effect<WitnessMessage> {
  return { type: 'set-timer', name: TIMER.lease, afterMs: ctx.settings.leaseMs };
}

function answer(to: NodeId, reply: WitnessReply): Effect<WitnessMessage> {
  return { type: 'send', to, msg: reply };
}

function reply(ctx: WitnessContext, seq: number, granted: boolean, reason: string): WitnessReply {
  return { type: 'WitnessReply', seq, granted, holder: ctx.holder, epoch: ctx.epoch, reason };
}

/**
 * A primary renews its lease. The holder of the current epoch is renewed. Once the lease has run
 * out, a primary of a newer epoch (promoted by an operator) is taken as the holder.
 */
export function renew(ctx: WitnessContext, from: NodeId, msg: LeaseRenew): Step {
  if (from === ctx.holder && msg.epoch === ctx.epoch) {
    const patch = { live: true, reason: `renewed ${from}'s lease (epoch ${ctx.epoch})` };
    return { patch, effects: [leaseTimer(ctx), answer(from, reply({ ...ctx, ...patch }, msg.seq, true, patch.reason))] };
  }
  if (!ctx.live && msg.epoch > ctx.epoch) return handOver(ctx, from, msg.epoch, msg.seq, `took ${from}, primary of the newer epoch ${msg.epoch}, as the holder`);
  const why = refusal(ctx, from, msg.epoch);
  return { patch: {}, effects: [answer(from, reply(ctx, msg.seq, false, why))] };
}

/**
 * A standby asks for the lock. Granted only when the holder's lease has run out here and the epoch
 * asked for is newer than any given; asked again by the node that got it, it is granted again.
 */
export function lock(ctx: WitnessContext, from: NodeId, msg: LockRequest): Step {
  if (from === ctx.holder && msg.epoch === ctx.epoch) {
    const patch = { live: true, reason: `gave ${from} the lock for epoch ${ctx.epoch} again` };
    return { patch, effects: [leaseTimer(ctx), answer(from, reply({ ...ctx, ...patch }, msg.seq, true, patch.reason))] };
  }
  if (ctx.live || msg.epoch <= ctx.epoch) return { patch: {}, effects: [answer(from, reply(ctx, msg.seq, false, refusal(ctx, from, msg.epoch)))] };
  return handOver(ctx, from, msg.epoch, msg.seq, `${ctx.holder}'s lease (epoch ${ctx.epoch}) had run out: gave ${from} the lock for epoch ${msg.epoch}`);
}

function handOver(ctx: WitnessContext, to: NodeId, epoch: number, seq: number, reason: string): Step {
  const next = { ...ctx, holder: to, epoch, live: true, handovers: ctx.handovers + 1, reason };
  return {
    patch: { holder: to, epoch, live: true, handovers: next.handovers, reason },
    effects: [leaseTimer(ctx), answer(to, reply(next, seq, true, reason))],
  };
}

function refusal(ctx: WitnessContext, from: NodeId, epoch: number): string {
  if (ctx.live) return `${ctx.holder}'s lease (epoch ${ctx.epoch}) is still alive on the witness's clock`;
  return `${from} asked for epoch ${epoch}, but the witness already gave epoch ${ctx.epoch} to ${ctx.holder}`;
}

/** The holder did not renew for a whole lease: the lock is free for a standby to take. */
export function leaseRanOut(ctx: WitnessContext): Step {
  return { patch: { live: false, reason: `${ctx.holder}'s lease (epoch ${ctx.epoch}) ran out: the lock is free` }, effects: [] };
}
