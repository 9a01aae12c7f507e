/**
 * The witness's rules as plain functions. It renews the lease of the node that holds the lock in
 * its epoch; it hands the lock to a standby, in a newer epoch, only once the holder's lease has
 * run out on the witness's own clock. A restarted witness first waits out a whole lease: it
 * cannot know whether the holder renewed while it was down.
 *
 * The primary counts its own lease from before it asked (see `witnessLeaseMs` in
 * database/rules.ts), so it stops writing before the witness's lease for it runs out: when the
 * witness hands the lock over, the old holder has already stopped.
 *
 * Each renewal says up to which LSN the primary acknowledged writes. The lock goes only to a node
 * that holds that WAL on the same timeline, and that was synchronous to the holder where the
 * topology makes standbys synchronous (writes acknowledged since the last renewal are on those
 * alone). A standby that never received its base backup can never take over.
 */
import type { Effect, NodeId } from '../protocol';
import type { ProgramInput } from '../program';
import type { Step as MachineStep } from '../step';
import { FIRST_PRIMARY, modeOf } from '../database/logic';
import { divergenceLsn, formatLsn, walAhead } from '../database/wal';
import type { AckedMark, HeldWal, LeaseRenew, LockRequest, WitnessContext, WitnessDisk, WitnessMessage, WitnessReply } from './types';

export const TIMER = { lease: 'lease' } as const;

export type Step = MachineStep<WitnessContext, WitnessMessage>;

export function initialWitnessContext(input: ProgramInput<WitnessDisk>): WitnessContext {
  const disk = input.disk;
  return {
    id: input.id,
    settings: input.settings,
    topology: input.topology,
    holder: disk?.holder ?? FIRST_PRIMARY,
    epoch: disk?.epoch ?? 1,
    live: true,
    handovers: 0,
    acked: disk?.acked ?? NOTHING_ACKED,
    degraded: disk?.degraded ?? false,
    dataLostBy: disk?.dataLostBy ?? null,
    dataLostSynced: disk?.dataLostSynced ?? false,
    survivors: {},
    reason: disk ? `restarted: treats ${disk.holder}'s lease (epoch ${disk.epoch}) as alive for one whole lease` : `${FIRST_PRIMARY} holds the lock in epoch 1`,
  };
}

const NOTHING_ACKED: AckedMark = { lsn: 0, history: [{ epoch: 1, startLsn: 0 }] };

export function witnessDiskOf(ctx: WitnessContext): WitnessDisk {
  return { holder: ctx.holder, epoch: ctx.epoch, acked: ctx.acked, degraded: ctx.degraded, dataLostBy: ctx.dataLostBy, dataLostSynced: ctx.dataLostSynced };
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
    const acked = { lsn: Math.max(ctx.acked.lsn, msg.ackedLsn), history: msg.history };
    // Leaving degraded mode, the synchronous standby may still lack what the holder acknowledged
    // alone: only a write acknowledged beyond that (it waited for the standby, which receives the
    // WAL in order) shows the standby holds it all.
    const degraded = msg.degraded === true || (ctx.degraded && msg.ackedLsn <= ctx.acked.lsn);
    const said = msg.degraded === true ? ', running degraded (no synchronous standby)' : degraded ? ', its synchronous standby not yet known to hold what it acknowledged while degraded' : '';
    const patch = { live: true, acked, degraded, reason: `renewed ${from}'s lease (epoch ${ctx.epoch})${said}` };
    return { patch, effects: [leaseTimer(ctx), answer(from, reply({ ...ctx, ...patch }, msg.seq, true, patch.reason))] };
  }
  if (!ctx.live && msg.epoch > ctx.epoch) {
    // An operator promoted it: what it acknowledges from now on is what counts.
    const step = handOver(ctx, from, msg.epoch, msg.seq, `took ${from}, primary of the newer epoch ${msg.epoch}, as the holder`);
    return { ...step, patch: { ...step.patch, acked: { lsn: msg.ackedLsn, history: msg.history }, degraded: msg.degraded === true } };
  }
  const why = refusal(ctx, from, msg.epoch);
  return { patch: {}, effects: [answer(from, reply(ctx, msg.seq, false, why))] };
}

/**
 * A standby (or a former primary) asks for the lock. Asked again by the node that got it, it is
 * granted again; asked by the holder itself for a newer epoch (it restarted demoted), granted: it
 * holds everything it acknowledged. Anyone else gets it only once the holder's lease has run out
 * here, and only if it holds what the holder acknowledged (`missing`). The epoch given is newer
 * than any given before, whatever the asker believed.
 */
export function lock(ctx: WitnessContext, from: NodeId, msg: LockRequest): Step {
  if (ctx.dataLostBy === ctx.holder && from === ctx.holder) return refuse(ctx, from, msg.seq, `${from} lost its data: it may not take the lock back`);
  if (from === ctx.holder && msg.epoch === ctx.epoch) {
    const patch = { live: true, reason: `gave ${from} the lock for epoch ${ctx.epoch} again` };
    return { patch, effects: [leaseTimer(ctx), answer(from, reply({ ...ctx, ...patch }, msg.seq, true, patch.reason))] };
  }
  const epoch = Math.max(msg.epoch, ctx.epoch + 1);
  if (msg.handover !== undefined) return lockHandedOver(ctx, from, msg, epoch);
  if (from === ctx.holder) {
    const step = handOver(ctx, from, epoch, msg.seq, `${from}, the holder of epoch ${ctx.epoch}, took the lock again for epoch ${epoch}`, ackedUpTo(ctx, msg));
    if (!ctx.degraded) return step;
    // It ran degraded: what it acknowledged alone (up to what it holds now) is still only on it.
    return { ...step, patch: { ...step.patch, degraded: true, acked: { ...ctx.acked, lsn: Math.max(ctx.acked.lsn, msg.flushLsn) } } };
  }
  if (ctx.dataLostBy === ctx.holder) return lockAfterDataLost(ctx, from, msg, epoch);
  if (ctx.live) return refuse(ctx, from, msg.seq, `${ctx.holder}'s lease (epoch ${ctx.epoch}) is still alive on the witness's clock`);
  if (ctx.degraded) {
    return refuse(ctx, from, msg.seq, `${ctx.holder} ran degraded (no synchronous standby) and may have acknowledged writes only it holds: only ${ctx.holder} may take the lock back`);
  }
  return lockHoldingAcked(ctx, from, msg, epoch);
}

/** The holder's lease has run out: the lock goes to `from` if it holds every acknowledged write (`missing`). */
function lockHoldingAcked(ctx: WitnessContext, from: NodeId, msg: LockRequest, epoch: number): Step {
  const lacking = missing(ctx, from, msg);
  if (lacking !== null) return refuse(ctx, from, msg.seq, lacking);
  return handOver(ctx, from, epoch, msg.seq, `${ctx.holder}'s lease (epoch ${ctx.epoch}) had run out and ${from} holds every acknowledged write: gave ${from} the lock for epoch ${epoch}`, ackedUpTo(ctx, msg));
}

/**
 * What a former primary given the lock may count as acknowledged of what it holds (undefined: all
 * it holds, as a standby taking over does). Asking as a former primary (naming no primary), it has
 * received no WAL since it stopped taking writes; after a restart it no longer knows what it
 * acknowledged and would count everything it holds, writes nobody acknowledged too (refused, or
 * left waiting for a synchronous standby that was down). Told to the witness, they would bind the
 * lock to WAL that only this node holds, or that is on a timeline the others left: once its disk is
 * lost, nobody could ever take over (sweep seeds 23001 #3394 and 24001 #4551).
 *
 * The witness knows better while the holder has not run degraded and the mark is the holder's own
 * (it renewed in its epoch): every acknowledged write is on the mark's timeline up to the mark, or,
 * acknowledged since the holder's last renewal, on every node synchronous to the holder. So the
 * holder taking its lock back counts up to the mark: the rest is on its synchronous standbys, the
 * only nodes that may take the lock from it next. Another former primary given the lock is
 * synchronous to the holder and streamed nothing of its epoch, so the holder acknowledged nothing
 * beyond the mark; what the former primary holds past it was never acknowledged.
 */
function ackedUpTo(ctx: WitnessContext, msg: LockRequest): number | undefined {
  if (msg.primary !== null || ctx.degraded) return undefined;
  const last = ctx.acked.history[ctx.acked.history.length - 1];
  return last?.epoch === ctx.epoch ? ctx.acked.lsn : undefined;
}

/**
 * A switchover's target asks for the lock its primary handed over. The holder stopped writing when
 * it handed over, so its lease need not run out first; but the request may come late, so it is
 * granted only while the lock is still where the handover left it (that holder, in that epoch) and
 * the target holds what the holder acknowledged. Otherwise the switchover promotes nobody.
 */
function lockHandedOver(ctx: WitnessContext, from: NodeId, msg: LockRequest, epoch: number): Step {
  const { from: holder, epoch: heldIn } = msg.handover!;
  if (ctx.holder !== holder || ctx.epoch !== heldIn) {
    return refuse(ctx, from, msg.seq, `${holder} handed over the lock of epoch ${heldIn}, but it has moved since: ${ctx.holder} holds it in epoch ${ctx.epoch}`);
  }
  const lacking = missing(ctx, from, msg);
  if (lacking !== null) return refuse(ctx, from, msg.seq, lacking);
  return handOver(ctx, from, epoch, msg.seq, `${holder} handed the lock over to ${from} in a switchover: gave ${from} the lock for epoch ${epoch}`);
}

/**
 * The holder's data is gone: what it alone held (acknowledged while degraded, or beyond its
 * asynchronous standbys' copies) is lost whoever takes over, so the lock goes to the node holding
 * the most of what survives, as the orchestrators' leader promotes the node whose WAL goes furthest.
 * The witness hears what each node holds from its lock requests (and an empty node's notice), and
 * gives the lock once every other database node has said, to one that no other holds more than: a
 * node it has not heard from since may be down holding more, and is waited for. The holder's lease
 * still runs out first (the witness cannot tell an empty holder from a lost notice's sender).
 * Where standbys are synchronous to the holder, they hold every write it acknowledged: until each
 * of them has said since that its data is gone too, the lock goes only to a node holding those.
 */
function lockAfterDataLost(ctx: WitnessContext, from: NodeId, msg: LockRequest, epoch: number): Step {
  const survivors = { ...ctx.survivors, [from]: { flushLsn: msg.flushLsn, history: msg.history } };
  const held = (step: Step): Step => ({ ...step, patch: { ...step.patch, survivors } });
  if (ctx.live) return held(refuse(ctx, from, msg.seq, `${ctx.holder}'s lease (epoch ${ctx.epoch}) is still alive on the witness's clock`));
  const synchronous = ctx.dataLostSynced ? synchronousTo(ctx) : [];
  // A synchronous standby not known empty since may hold every write the holder acknowledged: the mark stands.
  if (synchronous.some((db) => survivors[db] === undefined || survivors[db].history.length > 0)) return held(lockHoldingAcked(ctx, from, msg, epoch));
  if (msg.history.length === 0) return held(refuse(ctx, from, msg.seq, `${from}'s data directory is empty`));
  const others = databaseNodes(ctx).filter((db) => db !== ctx.holder && db !== from);
  const unheard = others.filter((db) => survivors[db] === undefined);
  const lost = synchronous.length === 0 ? `${ctx.holder} lost its data` : `${ctx.holder} and its synchronous standby ${synchronous.join(', ')} lost their data`;
  if (unheard.length > 0) {
    return held(refuse(ctx, from, msg.seq, `${lost}, and ${unheard.join(', ')} has not said what it holds since: it may hold more than ${from}, so the witness waits for it`));
  }
  // The history is always told, so the epoch `walAhead` falls back on is never read.
  const end = (held: HeldWal) => ({ epoch: 0, ...held });
  const ahead = others.find((db) => walAhead(end(survivors[db]!), end(survivors[from]!)));
  if (ahead !== undefined) return held(refuse(ctx, from, msg.seq, `${lost}, and ${ahead} holds more of the WAL than ${from}: the lock is left to it`));
  const reason = `${ctx.holder}'s lease (epoch ${ctx.epoch}) had run out and ${lost}, so what it acknowledged that ${from} lacks is gone whoever takes over, and ${from} holds the most of what survives (every other node said what it holds): gave ${from} the lock for epoch ${epoch}`;
  return handOver(ctx, from, epoch, msg.seq, reason);
}

/**
 * A node says it restarted with an empty data directory. If it holds the lock and every standby
 * replicates asynchronously, what it acknowledged beyond its standbys' copies is gone for good (the
 * loss asynchronous replication accepts), so the mark of acknowledged writes no longer binds: once
 * its lease has run out, a node that holds data may take the lock (the orchestrators' agents do the
 * same). With a synchronous standby the mark stays: that standby holds every acknowledged write,
 * until it says its data is gone too (both disks lost in a double failure): then those writes are
 * gone whoever takes over, and the lock goes to the node holding the most of what survives.
 */
export function dataLost(ctx: WitnessContext, from: NodeId): Step {
  if (from !== ctx.holder) {
    // Another node is empty too: it holds nothing of what survives.
    if (ctx.dataLostBy !== ctx.holder) return { patch: {}, effects: [] };
    return { patch: { survivors: { ...ctx.survivors, [from]: { flushLsn: 0, history: [] } } }, effects: [] };
  }
  // Said again (it says so until it holds data): nothing new.
  if (ctx.dataLostBy === from) return { patch: {}, effects: [] };
  if (ctx.degraded) {
    // It ran degraded: what it acknowledged alone is gone with its disk, and nobody else can ever
    // hold it; the rule that only it may take the lock back would leave the lock with nobody.
    const reason = `${from}, which holds the lock, lost its data while it ran degraded (no synchronous standby): what it acknowledged alone is lost; once its lease runs out, the node holding the most of what survives may take the lock`;
    return { patch: { acked: NOTHING_ACKED, degraded: false, dataLostBy: from, survivors: {}, reason }, effects: [] };
  }
  const synchronous = synchronousTo(ctx);
  if (synchronous.length > 0) {
    // They hold every write it acknowledged, unless each lost its data too (see `lockAfterDataLost`).
    const reason = `${from}, which holds the lock, lost its data; every write it acknowledged is on ${synchronous.join(' and ')}, synchronous to it, so the lock goes only to a node holding those, unless each of them says its data is gone too`;
    return { patch: { dataLostBy: from, dataLostSynced: true, survivors: {}, reason }, effects: [] };
  }
  if (ctx.acked.lsn === 0) return { patch: {}, effects: [] };
  const reason = `${from}, which holds the lock, lost its data; with asynchronous standbys only, what it acknowledged that they lack is lost for good: once its lease runs out, the node holding the most of what survives may take the lock`;
  return { patch: { acked: NOTHING_ACKED, dataLostBy: from, survivors: {}, reason }, effects: [] };
}

/**
 * Why `from` may not replace the holder without losing acknowledged writes, or null if it may: it
 * must hold the holder's WAL up to the last LSN the holder reported acknowledged, on the same
 * timeline; and where other nodes are synchronous to the holder it must be one of them, for what
 * the holder acknowledged since its last renewal is only on those (unless the holder handed the
 * lock over in a switchover: it stopped writing, and the target caught up with all of its WAL).
 */
function missing(ctx: WitnessContext, from: NodeId, msg: LockRequest): string | null {
  const synchronous = synchronousTo(ctx);
  // A switchover's target caught up with all of the holder's WAL after it stopped writing: any may.
  if (synchronous.length > 0 && !synchronous.includes(from) && msg.handover === undefined) {
    return `${from} is not synchronous to ${ctx.holder}: it may lack writes ${ctx.holder} acknowledged`;
  }
  const { lsn } = ctx.acked;
  if (lsn === 0) return msg.history.length === 0 ? `${from}'s data directory is empty` : null;
  if (msg.history.length === 0 || msg.flushLsn < lsn) {
    return `${from} holds WAL only up to ${formatLsn(msg.flushLsn)}, but ${ctx.holder} acknowledged writes up to ${formatLsn(lsn)}`;
  }
  if (divergenceLsn(msg.history, ctx.acked.history) < lsn) {
    return `${from}'s timeline parted from ${ctx.holder}'s before ${formatLsn(lsn)}, up to which ${ctx.holder} acknowledged writes`;
  }
  return null;
}

/** The database nodes the topology makes synchronous to the holder. */
function synchronousTo(ctx: WitnessContext): string[] {
  return databaseNodes(ctx).filter((db) => db !== ctx.holder && modeOf(ctx.topology, db, ctx.holder) === 'sync');
}

function databaseNodes(ctx: WitnessContext): string[] {
  const standbys = ctx.topology.database?.standbys.length ?? 0;
  return Array.from({ length: standbys + 1 }, (_, k) => `db-${k + 1}`);
}

function refuse(ctx: WitnessContext, to: NodeId, seq: number, why: string): Step {
  return { patch: {}, effects: [answer(to, reply(ctx, seq, false, why))] };
}

function handOver(ctx: WitnessContext, to: NodeId, epoch: number, seq: number, reason: string, ackedUpTo?: number): Step {
  const next = { ...ctx, holder: to, epoch, live: true, handovers: ctx.handovers + 1, reason };
  const told = ackedUpTo === undefined ? {} : { ackedUpTo };
  return {
    patch: { holder: to, epoch, live: true, handovers: next.handovers, degraded: false, reason, dataLostBy: null, dataLostSynced: false, survivors: {} },
    effects: [leaseTimer(ctx), answer(to, { ...reply(next, seq, true, reason), previous: ctx.holder, ...told })],
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
