/**
 * Commands from the orchestrators and the operator: promotion, the drain before a switchover,
 * demotion, a newer epoch heard of, the lease running out, and the answer to a health check.
 */
import type { NodeId } from '../protocol';
import type { DatabaseContext, DatabaseMessage, DatabaseRole, Demote, Drain, HealthCheck, HealthReply, Promote, SyncNaming } from './types';
import { epochAt, formatLsn } from './wal';
import { TIMER } from './constants';
import { type Step, type Change, run } from './change';
import { witnessMode, reselectsSync, leaseApplies } from './rules';
import { chooseAtRenewal, agreeNaming, isSynchronous } from './sync-naming';
import { stopWriting, becomeDemoted, follow, promote } from './roles';
import { renewsWithWitness } from './witness-duties';
import { switchoverPromote } from './witness-mode';

export function promoteByMessage(ctx: DatabaseContext, msg: Promote): Step {
  return run(ctx, (c) => {
    if (msg.epoch <= ctx.epoch) return c.set({ reason: `refused a promotion to epoch ${msg.epoch}: already in epoch ${ctx.epoch}` });
    if (ctx.role === 'rebuilding') return c.set({ reason: `refused a promotion to epoch ${msg.epoch}: still being rebuilt` });
    const lacking = lacks(ctx, msg.minLsn ?? 0, msg.timeline ?? null);
    if (lacking !== null) return c.set({ reason: `refused a promotion to epoch ${msg.epoch}: ${lacking}` });
    if (msg.handedBy !== undefined && renewsWithWitness(ctx)) return switchoverPromote(c, msg.epoch, msg.handedBy);
    if (ctx.role === 'primary') stopWriting(c, `promoted again to epoch ${msg.epoch}`);
    promote(c, msg.epoch, msg.switchover === true ? 'switchover' : 'orchestrators');
  });
}

/** Why this node does not hold the WAL up to `minLsn` of epoch `timeline` it was chosen for, or null when it does. */
export function lacks(ctx: DatabaseContext, minLsn: number, timeline: number | null): string | null {
  if (minLsn <= 0) return null;
  if (ctx.history.length === 0) return 'its data directory is empty';
  if (ctx.flushLsn < minLsn) return `it holds WAL up to ${formatLsn(ctx.flushLsn)} only, short of ${formatLsn(minLsn)}`;
  if (timeline !== null && epochAt(ctx.history, minLsn) !== timeline) return `its WAL up to ${formatLsn(minLsn)} is not of epoch ${timeline}`;
  return null;
}

/**
 * An operator's `pg_ctl promote`: it opens `epoch`, which the operator took from the one counter
 * of epochs (the kernel's, without orchestrators), so two promotions never share an epoch.
 */
export function promoteByOperator(ctx: DatabaseContext, epoch = 0): Step {
  return run(ctx, (c) => {
    if (ctx.role === 'rebuilding') return c.set({ reason: 'an operator asked for a promotion, refused: still being rebuilt' });
    if (ctx.role === 'primary') return;
    promote(c, Math.max(epoch, ctx.epoch + 1), 'operator');
  });
}

/** A switchover begins: the primary takes no new writes, but keeps streaming so that the chosen standby catches up. */
export function drainReceived(ctx: DatabaseContext, msg: Drain): Step {
  return run(ctx, (c) => {
    if (ctx.role !== 'primary' || msg.epoch !== ctx.epoch || !ctx.writable) return;
    c.set({ writable: false, reason: `switching over to ${msg.to}: takes no new writes while ${msg.to} catches up` });
    c.trace({ type: 'writable', on: false, epoch: ctx.epoch });
    c.trace({ type: 'role', role: 'primary', term: ctx.epoch, reason: c.ctx.reason });
  });
}

export function demoteReceived(ctx: DatabaseContext, msg: Demote): Step {
  return run(ctx, (c) => {
    if (msg.epoch < ctx.epoch || msg.primary === ctx.id) return;
    const reason = `epoch ${msg.epoch} has begun${msg.primary ? ` with ${msg.primary} as primary` : ''}`;
    if (msg.primary !== null && (msg.primary !== ctx.upstream || msg.epoch > ctx.epoch || ctx.role === 'primary' || ctx.role === 'demoted')) {
      return follow(c, msg.primary, msg.epoch, `${reason}; follows it`, null);
    }
    if (ctx.role === 'primary') return becomeDemoted(c, msg.epoch, `${reason}; stopped taking writes`);
    c.set({ epoch: Math.max(ctx.epoch, msg.epoch) });
  });
}

/** A message of a newer epoch from a node that is not its primary: somebody else leads now. */
export function learnNewerEpoch(ctx: DatabaseContext, from: NodeId, epoch: number): Step {
  return run(ctx, (c) => becomeDemoted(c, epoch, `${from} already knows epoch ${epoch}; stopped taking writes`));
}

export function leaseExpired(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (!leaseApplies(ctx) || ctx.role !== 'primary') return;
    if (witnessMode(ctx.topology)) {
      return becomeDemoted(c, ctx.epoch, `the witness did not renew its lease in time (${ctx.settings.leaseMs} ms): it stopped taking writes`);
    }
    becomeDemoted(c, ctx.epoch, `lost touch with the orchestrators for ${ctx.settings.leaseMs} ms: its lease ran out, so it stopped taking writes`);
  });
}

export function answerHealthCheck(ctx: DatabaseContext, from: NodeId, msg: HealthCheck): Step {
  return run(ctx, (c) => {
    if (msg.replaced !== undefined) learnReplacements(c, msg.replaced);
    if (msg.lease === true && ctx.role === 'primary') {
      c.set({ leaseWaived: false });
      if (ctx.writable) c.timer(TIMER.lease, ctx.settings.leaseMs);
      const agreed = msg.sync;
      if (ctx.writable && agreed !== undefined && agreed.epoch === ctx.epoch && agreed.gen > ctx.syncAgreed) agreeNaming(c, agreed.gen);
    }
    // With quorum off the agents renew nothing, but their checks still show they watch this primary.
    if (ctx.writable && (msg.lease === true || !ctx.settings.quorum)) chooseAtRenewal(c);
    c.send(from, healthReply(c.ctx, msg.seq));
  });
}

/**
 * The orchestrators' log replaced database nodes (dead → replacement): each replacement becomes a
 * peer (a primary streams to it and may name it synchronous once it has caught up), each node
 * replaced stops being one (it is retired for good).
 */
function learnReplacements(c: Change, heard: Readonly<Record<NodeId, NodeId>>): void {
  const { ctx } = c;
  if (Object.keys(heard).every((k) => ctx.replaced[k] === heard[k])) return;
  // A replacement is for good: what one agent told stays known when another (a new leader that has not yet seen it) says less.
  const replaced = { ...ctx.replaced, ...heard };
  const dead = Object.keys(replaced);
  const newcomers = dead.map((k) => replaced[k]!).filter((id) => id !== ctx.id && !dead.includes(id));
  const peers = [...ctx.peers.filter((p) => !dead.includes(p)), ...newcomers.filter((id) => !ctx.peers.includes(id))];
  c.set({ replaced, peers });
  if (ctx.role !== 'primary') return;
  const streams = { ...ctx.streams };
  for (const k of dead) delete streams[k];
  c.set({ streams, syncFormers: ctx.syncFormers.filter((f) => !dead.includes(f)), syncNext: ctx.syncNext !== null && dead.includes(ctx.syncNext) ? null : ctx.syncNext });
}

export function healthReply(ctx: DatabaseContext, seq: number): HealthReply {
  const sync: SyncNaming | null = reselectsSync(ctx.topology) ? ctx.sync : null;
  return {
    type: 'HealthReply',
    seq,
    role: ctx.role,
    epoch: ctx.epoch,
    writable: ctx.writable,
    flushLsn: ctx.flushLsn,
    replayLsn: ctx.replayLsn,
    synchronous: isSynchronous(ctx),
    sync,
    history: ctx.history,
    ...(ctx.role === 'primary' ? { ackedLsn: ctx.ackedLsn } : {}),
  };
}

export function carriesNewerEpoch(ctx: DatabaseContext, msg: DatabaseMessage): boolean {
  return 'epoch' in msg && msg.type !== 'Promote' && msg.epoch > ctx.epoch;
}

export function reportRole(ctx: DatabaseContext, role: DatabaseRole): Step {
  return { patch: {}, effects: [{ type: 'trace', event: { type: 'role', role, term: ctx.epoch, reason: ctx.reason } }] };
}
