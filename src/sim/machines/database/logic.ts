/**
 * The database node's rules as plain functions: PostgreSQL streaming replication with
 * `synchronous_commit = on` for synchronous standbys, `wal_keep_size` retention, timelines
 * (epochs) with pg_rewind, Patroni's lease and its synchronous_mode (where failover agents read which
 * standby is synchronous), and, with a witness instead of orchestrators, a standby that fails over
 * with the witness's vote. Each step takes the context and an input and returns the fields that
 * change and the effects to emit. A step may change `role`; the machine (machine.ts) then moves to
 * the state of that name.
 *
 * One deliberate impurity, as in Raft's log: `wal` and `pending` are changed in place.
 */
import type { FailoverStep, NodeId, NodeTrace } from '../protocol';
import type { ProgramInput } from '../program';
import type { ReplicationMode, StandbySpec, Topology } from '../../scenario/types';
import type {
  DatabaseContext,
  DatabaseDisk,
  DatabaseEffect,
  DatabaseMessage,
  DatabaseRole,
  Demote,
  Drain,
  Handover,
  HealthCheck,
  HealthReply,
  Promote,
  StandbyStream,
  StreamStart,
  SyncNaming,
  TimelineEntry,
  WalAck,
  WalData,
  WalGone,
  WalRecord,
  WitnessSide,
} from './types';
import { WITNESS_ID, type LeaseRenew, type LockRequest, type WitnessReply } from '../witness/types';
import { WAL_RECORD_BYTES, divergenceLsn, epochAt, formatLsn, recordsAfter, recycle, sameHistory, truncateAfter, walAhead } from './wal';
import type { BackupData } from '../backup/types';
import { backupBytes, backupStoresOf, shipTimeMs } from '../backup/logic';

/** The node that starts as primary of epoch 1. */
export const FIRST_PRIMARY = 'db-1';

export const TIMER = {
  /** The primary's WAL sender wakes this often: keepalives, retransmits, announcements. */
  sender: 'wal-sender',
  /** A standby that hears nothing from its primary this long asks to stream again. */
  receiver: 'wal-receiver',
  flush: 'wal-flush',
  lease: 'lease',
  baseBackup: 'base-backup',
  /** A primary takes its next scheduled backup (only with `topology.backups`). */
  backup: 'backup-tick',
  /** Prefix: `backup-ship:<store>` fires when the backup for that store has travelled. */
  backupShip: 'backup-ship:',
  /** Witness mode: a primary asks the witness to renew its lease this often (healthCheck.intervalMs). */
  witnessRenew: 'witness-renew',
  /** Witness mode: the witness's answer to a renewal or a lock request is awaited this long (healthCheck.timeoutMs). */
  witnessWait: 'witness-wait',
  /** Witness mode: a standby health-checks its primary this often, and awaits each answer `peerWait` long. */
  peerCheck: 'peer-check',
  peerWait: 'peer-wait',
  /** A switchover without orchestrators: the handing-over primary's deadline, then its resends of the Promote. */
  handover: 'handover',
} as const;

/** PostgreSQL's defaults (wal_sender_timeout 60 s, wal_receiver_timeout 60 s) scaled down ×40 for watching. */
export const SENDER_TICK_MS = 100;
/** A keepalive (and, to peers not streaming, an "I am primary" announcement) every this many ticks. */
export const KEEPALIVE_EVERY_TICKS = 5;
/** A standby silent for this many ticks is shown as `stopped` and sent nothing more until it asks. */
export const SENDER_TIMEOUT_TICKS = 15;
/** Sent WAL not acknowledged after this many ticks is presumed lost and sent again. */
export const RESEND_AFTER_TICKS = 3;
export const RECEIVER_TIMEOUT_MS = 1500;
/** Bounds: records per WalData, unacknowledged batches per standby, writes waiting for a commit ack. */
export const MAX_RECORDS_PER_BATCH = 50;
export const MAX_BATCHES_IN_FLIGHT = 4;
export const MAX_PENDING_WRITES = 1000;

export interface Step {
  readonly patch: Partial<DatabaseContext>;
  readonly effects: readonly DatabaseEffect[];
}

/** Collects one step's changes; `ctx` always shows the context as changed so far. */
class Change {
  readonly patch: Partial<DatabaseContext> = {};
  readonly effects: DatabaseEffect[] = [];
  /** The role the node had when this step began (the XState state it is in). */
  readonly startRole: DatabaseContext['role'];

  constructor(public ctx: DatabaseContext) {
    this.startRole = ctx.role;
  }

  set(patch: Partial<DatabaseContext>): void {
    Object.assign(this.patch, patch);
    this.ctx = { ...this.ctx, ...patch };
  }
  send(to: NodeId, msg: DatabaseMessage): void {
    // Streaming replication runs over a connection (TCP): in order, like PostgreSQL's walsender.
    this.effects.push({ type: 'send', to, msg, ordered: true });
  }
  trace(event: NodeTrace): void {
    this.effects.push({ type: 'trace', event });
  }
  timer(name: string, afterMs: number): void {
    this.effects.push({ type: 'set-timer', name, afterMs: Math.max(1, Math.ceil(afterMs)) });
  }
  cancel(name: string): void {
    this.effects.push({ type: 'cancel-timer', name });
  }
  reply(id: string, ok: boolean, lsn: number | null, reason: string | null): void {
    this.effects.push({ type: 'write-reply', id, ok, lsn, reason });
  }
  /** STONITH, out of band: the kernel powers `node` off and answers with a `fence-result` event. */
  fence(node: NodeId): void {
    this.effects.push({ type: 'fence', node });
  }
  step(): Step {
    return { patch: this.patch, effects: this.effects };
  }
}

function run(ctx: DatabaseContext, body: (c: Change) => void): Step {
  const change = new Change(ctx);
  body(change);
  return change.step();
}

// ---------------------------------------------------------------------------------------------
// Small rules

function standbySpecOf(topology: Topology, id: NodeId, replaced: Readonly<Record<NodeId, NodeId>> = {}): StandbySpec | null {
  const match = /^db-(\d+)$/.exec(originalOf(replaced, id));
  const index = match ? Number(match[1]) - 2 : -1;
  return topology.database?.standbys[index] ?? null;
}

/** The node of the topology that `id` stands in for: itself, or the node its replacement chain began with (db-4 replaced db-2). */
export function originalOf(replaced: Readonly<Record<NodeId, NodeId>>, id: NodeId): NodeId {
  let node = id;
  for (let hops = 0; hops < 1000; hops++) {
    const dead = Object.keys(replaced).find((k) => replaced[k] === node);
    if (dead === undefined) return node;
    node = dead;
  }
  return node;
}

/**
 * How `standby` replicates from `primary`. db-2… keep the mode the scenario gave them; db-1 as a
 * standby takes the place, and the mode, of the standby that replaced it as primary. A node the
 * orchestrators provisioned in place of a lost one (`replaced`: dead → replacement) inherits the
 * lost node's place and mode.
 */
export function modeOf(topology: Topology, standby: NodeId, primary: NodeId, replaced: Readonly<Record<NodeId, NodeId>> = {}): ReplicationMode {
  return (standbySpecOf(topology, standby, replaced) ?? standbySpecOf(topology, primary, replaced))?.replication ?? 'async';
}

export function syncStandbysOf(ctx: DatabaseContext): NodeId[] {
  return ctx.peers.filter((peer) => modeOf(ctx.topology, peer, ctx.id, ctx.replaced) === 'sync');
}

/** Raft orchestrators run a failover agent beside each member: the agents renew the lease and decide failovers. */
export function agentsDecide(topology: Topology): boolean {
  return topology.orchestrators > 0 && topology.election === 'raft';
}

/**
 * Witness mode: a witness and no failover agents. The primary renews its lease with the witness;
 * a standby whose primary fails its health checks takes over with the witness's vote.
 */
export function witnessMode(topology: Topology): boolean {
  return topology.database?.witness === true && !agentsDecide(topology);
}

/**
 * A primary names its synchronous standby, and may name another one (Patroni's synchronous_mode),
 * only where failover agents read the naming off the health replies and promote only the named
 * one. An operator promoting by hand, or a witness's lone standby, keep the topology's
 * synchronous standbys.
 */
export function reselectsSync(topology: Topology): boolean {
  return agentsDecide(topology);
}

/**
 * Patroni's rule applies when quorum is on and someone renews the lease: Raft orchestrators, whose
 * agents renew it through their log, or a witness. (Bully orchestrators have no log to agree
 * through and run no agent: with them alone, nobody would renew it.)
 */
export function leaseApplies(ctx: DatabaseContext): boolean {
  return ctx.settings.quorum && (agentsDecide(ctx.topology) || witnessMode(ctx.topology)) && !ctx.leaseWaived;
}

/** The first lease also covers the orchestrators' first election and first health check; the witness renews from the start. */
export function firstLeaseMs(ctx: DatabaseContext): number {
  if (witnessMode(ctx.topology)) return witnessLeaseMs(ctx);
  return ctx.settings.leaseMs + ctx.settings.electionTimeoutMs[1] + ctx.settings.healthCheck.intervalMs;
}

/**
 * How long a primary holds the lease after the witness renewed it. It takes a renewal only if the
 * answer came within `timeoutMs` of its request, and holds the lease `leaseMs − timeoutMs` from
 * the answer, that is at most `leaseMs` from the request. The witness counts `leaseMs` from the
 * moment the request reached it, which is later: the primary's lease always ends first.
 */
export function witnessLeaseMs(ctx: DatabaseContext): number {
  return Math.max(1, ctx.settings.leaseMs - ctx.settings.healthCheck.timeoutMs);
}

/** Bytes the slowest standby's replay is behind the primary's flush, or the standby's own lag. */
export function lagBytesOf(ctx: DatabaseContext): number {
  if (ctx.role !== 'primary') return Math.max(0, ctx.primaryLsn - ctx.replayLsn);
  let lag = 0;
  for (const peer of ctx.peers) {
    const stream = ctx.streams[peer];
    if (stream) lag = Math.max(lag, ctx.flushLsn - stream.replayLsn);
  }
  return lag;
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

// ---------------------------------------------------------------------------------------------
// Boot

function freshDisk(input: ProgramInput<DatabaseDisk>): DatabaseDisk {
  const start: TimelineEntry[] = [{ epoch: 1, startLsn: 0 }];
  const empty = { walStartLsn: 0, flushLsn: 0, wal: [], session: 0 };
  if (input.diskWiped) return { ...empty, epoch: 0, history: [], role: 'standby', upstream: null };
  if (input.id === FIRST_PRIMARY) return { ...empty, epoch: 1, history: start, role: 'primary', upstream: null };
  return { ...empty, epoch: 1, history: start, role: 'standby', upstream: FIRST_PRIMARY };
}

export function initialContext(input: ProgramInput<DatabaseDisk>): DatabaseContext {
  const disk = input.disk ?? freshDisk(input);
  return {
    id: input.id,
    peers: input.peers,
    settings: input.settings,
    topology: input.topology,
    epoch: disk.epoch,
    history: disk.history,
    upstream: disk.upstream,
    wal: disk.wal.slice(),
    walStartLsn: disk.walStartLsn,
    writeLsn: disk.flushLsn,
    flushLsn: disk.flushLsn,
    replayLsn: disk.flushLsn,
    flushArmed: false,
    writable: false,
    // The orchestrators' agents renew the lease from their first health check on; a first
    // primary's lease (firstLeaseMs) covers their first election and first check. Only an
    // operator's promotion waives it (see `promote`).
    leaseWaived: false,
    pending: [],
    streams: {},
    session: disk.session,
    primaryLsn: disk.flushLsn,
    ticks: 0,
    rebuildPhase: 'asking',
    backupMs: 0,
    reason: 'starting',
    freshBoot: input.disk === null && input.diskWiped !== true,
    wiped: input.disk === null && input.diskWiped === true,
    role: disk.role,
    backupCount: 0,
    shippedLsn: {},
    backupOutbox: {},
    restoredFrom: disk.restoredFrom ?? null,
    sync: disk.sync ?? null,
    syncNext: null,
    syncFormers: [],
    ackedLsn: disk.flushLsn,
    syncAgreed: 0,
    syncShown: null,
    primarySinceTick: 0,
    witness: NO_WITNESS,
    handover: null,
    replaced: {},
  };
}

const NO_WITNESS: WitnessSide = { seq: 0, awaiting: 0, checkAwaiting: 0, failures: 0, takeover: null, said: null, peerStopped: false, renewingDegraded: false, degradedGranted: false, peerBackAt: null, deferTo: null };

/** What is on disk: flushed WAL only (a copy, so the running machine cannot change it later). */
export function diskOf(ctx: DatabaseContext): DatabaseDisk {
  const flushed = ctx.wal.filter((record) => record.lsn <= ctx.flushLsn);
  return {
    epoch: ctx.epoch,
    history: ctx.history,
    role: ctx.role,
    upstream: ctx.upstream,
    walStartLsn: ctx.walStartLsn,
    flushLsn: ctx.flushLsn,
    wal: flushed,
    session: ctx.session,
    sync: ctx.sync,
  };
}

/** The first steps after boot: a new primary opens for writes; a restarted one waits for its lease; a standby asks to stream. */
export function boot(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    bootRole(c);
    if (c.ctx.role !== 'primary') startChecking(c);
    announceBack(c);
    // Witness mode: a node back with an empty data directory tells the witness its data is gone.
    if (witnessMode(ctx.topology) && !ctx.freshBoot && ctx.history.length === 0) c.send(WITNESS_ID, { type: 'DataLost' });
  });
}

/**
 * Witness mode, quorum on: a former primary that restarted tells its peers at once that it is back
 * and takes no writes (as a pg_auto_failover keeper reports to its monitor when it starts). A
 * standby taking over at that very moment, on health checks that went unanswered while this node
 * was down, then knows there is nothing to power off: this node follows the new primary and stays
 * a standby for it, instead of being powered off for an operator to start again.
 */
function announceBack(c: Change): void {
  const { ctx } = c;
  if (!witnessMode(ctx.topology) || !ctx.settings.quorum || ctx.role !== 'demoted' || ctx.writable) return;
  for (const peer of ctx.peers) c.send(peer, healthReply(ctx, 0));
}

function bootRole(c: Change): void {
  const { ctx } = c;
  switch (ctx.role) {
    case 'primary':
      if (ctx.freshBoot) return becomePrimary(c, ctx.epoch, `starts as primary of epoch ${ctx.epoch}`, firstLeaseMs(ctx));
      // With quorum on, a former primary never trusts itself after a restart: a newer primary may
      // exist, so it takes no writes until someone (the orchestrators, an operator) promotes it again.
      if (ctx.settings.quorum) return c.set({ role: 'demoted', reason: 'restarted as a former primary; takes no writes until it is promoted again' });
      return becomePrimary(c, ctx.epoch, 'restarted as primary (no lease to wait for: quorum is off)', null);
    case 'demoted':
      return c.set({ reason: ctx.restoredFrom ?? 'restarted as a demoted primary; waits to be promoted or told whom to follow' });
    case 'rebuilding':
      return startRebuild(c, ctx.upstream, 'restarted in the middle of a rebuild; starts the base backup again');
    case 'standby':
      c.set({ reason: ctx.restoredFrom ?? (ctx.upstream ? `standby of ${ctx.upstream}` : 'empty standby, waiting to hear from a primary') });
      return askToStream(c, false);
  }
}

// ---------------------------------------------------------------------------------------------
// Role changes (shared by many steps)

function flushAll(c: Change): void {
  if (c.ctx.flushArmed) c.cancel(TIMER.flush);
  c.set({ flushLsn: c.ctx.writeLsn, replayLsn: c.ctx.writeLsn, flushArmed: false });
}

function becomePrimary(c: Change, epoch: number, reason: string, leaseMs: number | null): void {
  flushAll(c);
  const history = c.ctx.history;
  const last = history[history.length - 1];
  if (last?.epoch !== epoch) c.set({ history: [...history, { epoch, startLsn: c.ctx.flushLsn }] });
  // Nobody is named yet in this epoch; everything held here may have been acknowledged by a predecessor.
  const naming = { sync: null, syncNext: null, syncFormers: [], ackedLsn: c.ctx.flushLsn, syncAgreed: 0, syncShown: null, primarySinceTick: c.ctx.ticks };
  c.set({ role: 'primary', epoch, upstream: null, writable: true, streams: {}, reason, primaryLsn: c.ctx.flushLsn, ...naming });
  c.cancel(TIMER.receiver);
  c.cancel(TIMER.baseBackup);
  c.timer(TIMER.sender, SENDER_TICK_MS);
  if (leaseMs !== null && leaseApplies(c.ctx)) c.timer(TIMER.lease, leaseMs);
  startBackupSchedule(c);
  if (c.ctx.witness.degradedGranted || c.ctx.witness.renewingDegraded) setWitness(c, { degradedGranted: false, renewingDegraded: false });
  c.trace({ type: 'writable', on: true, epoch });
  showSync(c);
  stopChecking(c);
  startRenewing(c);
}

/** A primary stops taking writes: what it wrote is flushed, waiting writes are refused. */
function stopWriting(c: Change, why: string): void {
  if (c.ctx.role !== 'primary') return;
  flushAll(c);
  for (const write of c.ctx.pending) c.reply(write.id, false, null, `${c.ctx.id} stopped being primary before the write was confirmed: ${why}`);
  c.ctx.pending.length = 0;
  c.cancel(TIMER.sender);
  c.cancel(TIMER.lease);
  stopBackupSchedule(c);
  if (c.ctx.writable) c.trace({ type: 'writable', on: false, epoch: c.ctx.epoch });
  c.set({ writable: false, streams: {} });
  stopRenewing(c);
  startChecking(c);
}

function becomeDemoted(c: Change, epoch: number, reason: string): void {
  stopWriting(c, reason);
  c.set({ role: 'demoted', epoch: Math.max(epoch, c.ctx.epoch), reason });
}

/** Follow `primary` of `epoch`: stop writing, rewind what the new timeline lacks, ask to stream. */
function follow(c: Change, primary: NodeId, epoch: number, reason: string, history: readonly TimelineEntry[] | null): void {
  stopWriting(c, reason);
  const wasRebuilding = c.ctx.role === 'rebuilding';
  c.set({ role: 'standby', upstream: primary, epoch: Math.max(epoch, c.ctx.epoch), reason, primaryLsn: c.ctx.flushLsn, sync: null });
  // A new primary to watch: the count of failed checks starts again, and a takeover is forgotten.
  if (witnessMode(c.ctx.topology)) {
    setWitness(c, { failures: 0, checkAwaiting: 0, takeover: null, said: null, peerStopped: false, peerBackAt: null, deferTo: null });
    startChecking(c);
  }
  if (wasRebuilding) return startRebuild(c, primary, `${reason}; starts its rebuild again from ${primary}`);
  if (history !== null && !reconcile(c, history)) return;
  askToStream(c, false);
}

/**
 * pg_rewind: drops the records the new timeline does not have and adopts its history. Returns
 * false when the WAL needed to rewind is gone and the node must be rebuilt instead.
 */
function reconcile(c: Change, theirs: readonly TimelineEntry[]): boolean {
  const { ctx } = c;
  const parting = divergenceLsn(ctx.history, theirs);
  if (parting < ctx.writeLsn && parting < ctx.walStartLsn) {
    startRebuild(c, ctx.upstream, `its WAL parted from the new timeline at ${formatLsn(parting)}, before the WAL it still keeps; rebuilding`);
    return false;
  }
  if (parting < ctx.writeLsn) rewind(c, parting);
  c.set({ history: theirs.slice() });
  return true;
}

function rewind(c: Change, toLsn: number): void {
  const { ctx } = c;
  const dropped = truncateAfter(ctx.wal, toLsn);
  const flushedLost = dropped.filter((record) => record.lsn <= ctx.flushLsn).length;
  const reason =
    `rewound ${dropped.length} write${dropped.length === 1 ? '' : 's'} after ${formatLsn(toLsn)} ` +
    `(${flushedLost} flushed, from ${formatLsn(toLsn)} to ${formatLsn(ctx.writeLsn)}) that the new timeline never had: they are lost` +
    (dropped.length > 0 ? ` (first ${dropped[0]!.write})` : '');
  c.set({ writeLsn: toLsn, flushLsn: Math.min(ctx.flushLsn, toLsn), replayLsn: Math.min(ctx.replayLsn, toLsn), reason });
  // A node that changes role reports it (with this reason) on entering its new state; only a
  // standby that stays one needs to say it here.
  if (c.startRole === 'standby') c.trace({ type: 'role', role: 'standby', term: ctx.epoch, reason });
}

/** Starts over from an empty data directory: ask the upstream to stream from the very beginning. */
function startRebuild(c: Change, upstream: NodeId | null, reason: string): void {
  clearData(c);
  c.set({ role: 'rebuilding', upstream, rebuildPhase: 'asking', reason });
  c.cancel(TIMER.baseBackup);
  askToStream(c, false);
}

function clearData(c: Change): void {
  if (c.ctx.flushArmed) c.cancel(TIMER.flush);
  c.ctx.wal.length = 0;
  c.set({ history: [], walStartLsn: 0, writeLsn: 0, flushLsn: 0, replayLsn: 0, flushArmed: false });
}

function askToStream(c: Change, afterBaseBackup: boolean): void {
  const { ctx } = c;
  c.timer(TIMER.receiver, RECEIVER_TIMEOUT_MS);
  if (ctx.upstream === null) return;
  const session = ctx.session + 1;
  c.set({ session });
  const empty = !afterBaseBackup && ctx.wiped && ctx.flushLsn === 0;
  const start = { type: 'StreamStart', epoch: ctx.epoch, session, fromLsn: ctx.writeLsn, flushLsn: ctx.flushLsn, afterBaseBackup } as const;
  c.send(ctx.upstream, empty ? { ...start, empty } : start);
}

type PromotedBy = 'operator' | 'orchestrators' | 'witness' | 'switchover';

function promote(c: Change, epoch: number, by: PromotedBy): void {
  const { ctx } = c;
  // Whether acknowledged writes had to be flushed here first: the topology says so, or its primary named it.
  const synchronous = ctx.role === 'standby' && ctx.upstream !== null && (modeOf(ctx.topology, ctx.id, ctx.upstream, ctx.replaced) === 'sync' || isSynchronous(ctx));
  flushAll(c);
  c.set({ leaseWaived: by === 'operator' || by === 'switchover' });
  const history = [...c.ctx.history.filter((entry) => entry.epoch < epoch), { epoch, startLsn: c.ctx.flushLsn }];
  c.trace({ type: 'promoted', epoch, flushLsn: c.ctx.flushLsn, synchronous, history });
  const how = { operator: 'promoted by an operator', orchestrators: 'promoted by the orchestrators', witness: "took the witness's lock and promoted itself", switchover: `promoted in a switchover from ${ctx.upstream ?? 'the old primary'}` }[by];
  const leaseMs = by === 'witness' ? witnessLeaseMs(ctx) : ctx.settings.leaseMs;
  becomePrimary(c, epoch, `${how} to primary of epoch ${epoch} at ${formatLsn(c.ctx.flushLsn)}`, leaseMs);
}

// ---------------------------------------------------------------------------------------------
// Client writes (primary)

export function refusalOf(ctx: DatabaseContext): string {
  switch (ctx.role) {
    case 'standby':
      return `${ctx.id} is a read-only standby${ctx.upstream ? ` of ${ctx.upstream}` : ''}`;
    case 'rebuilding':
      return `${ctx.id} is being rebuilt from a base backup`;
    case 'demoted':
      return `${ctx.id} is a demoted primary and takes no writes: ${ctx.reason}`;
    case 'primary':
      return `${ctx.id} is not accepting writes`;
  }
}

export function refuseWrite(ctx: DatabaseContext, id: string): Step {
  return run(ctx, (c) => c.reply(id, false, null, refusalOf(ctx)));
}

export function acceptWrite(ctx: DatabaseContext, id: string): Step {
  return run(ctx, (c) => {
    if (!ctx.writable) return c.reply(id, false, null, refusalOf(ctx));
    if (ctx.pending.length >= MAX_PENDING_WRITES) {
      return c.reply(id, false, null, `${ctx.id} has ${MAX_PENDING_WRITES} writes waiting for their commit; try again later`);
    }
    const lsn = ctx.writeLsn + WAL_RECORD_BYTES;
    ctx.wal.push({ lsn, write: id, epoch: ctx.epoch });
    ctx.pending.push({ id, lsn });
    c.set({ writeLsn: lsn });
    if (ctx.settings.diskFlushMs === 0) return flushPrimaryNow(c);
    if (!ctx.flushArmed) {
      c.set({ flushArmed: true });
      c.timer(TIMER.flush, ctx.settings.diskFlushMs);
    }
  });
}

export function flushPrimary(ctx: DatabaseContext): Step {
  return run(ctx, flushPrimaryNow);
}

function flushPrimaryNow(c: Change): void {
  const { ctx } = c;
  const walStartLsn = recycle(ctx.wal, ctx.walStartLsn, ctx.writeLsn, ctx.settings.walKeepBytes);
  c.set({ flushLsn: ctx.writeLsn, replayLsn: ctx.writeLsn, primaryLsn: ctx.writeLsn, flushArmed: false, walStartLsn });
  settleWrites(c);
  for (const peer of ctx.peers) streamTo(c, peer);
}

/**
 * The highest LSN a commit may be acknowledged at: flushed here, and on every synchronous standby.
 * Where the primary names its synchronous standby: on the named one, once it has acknowledged
 * hearing that it was named, and on every standby that may still believe it is (`syncFormers`) or
 * is about to be named (`syncNext`). With none named, nothing is acknowledged.
 */
export function committableLsn(ctx: DatabaseContext): number {
  if (namesSync(ctx)) {
    const sync = ctx.sync;
    if (sync === null) return 0;
    let lsn: number;
    if (sync.standby === null) {
      // Cleared: degraded once the agents' log holds the clearing, and not a moment before.
      if (ctx.syncAgreed < sync.gen) return 0;
      lsn = ctx.flushLsn;
    } else {
      const named = ctx.streams[sync.standby];
      if (named === undefined || named.knownGen < sync.gen) return 0;
      lsn = Math.min(ctx.flushLsn, named.flushLsn);
    }
    for (const former of ctx.syncFormers) lsn = Math.min(lsn, ctx.streams[former]?.flushLsn ?? 0);
    const next = ctx.syncNext === null ? undefined : ctx.streams[ctx.syncNext];
    if (connected(next)) lsn = Math.min(lsn, next.flushLsn);
    return lsn;
  }
  let lsn = ctx.flushLsn;
  for (const standby of ctx.syncShown ?? syncStandbysOf(ctx)) lsn = Math.min(lsn, ctx.streams[standby]?.flushLsn ?? 0);
  return lsn;
}

function settleWrites(c: Change): void {
  const { pending } = c.ctx;
  const committable = committableLsn(c.ctx);
  let settled = 0;
  while (settled < pending.length && pending[settled]!.lsn <= committable) {
    const write = pending[settled++]!;
    c.reply(write.id, true, write.lsn, null);
    c.trace({ type: 'write-ack', write: write.id, lsn: write.lsn });
  }
  if (settled > 0) {
    c.set({ ackedLsn: pending[settled - 1]!.lsn });
    pending.splice(0, settled);
  }
}

// ---------------------------------------------------------------------------------------------
// The WAL sender (primary)

function walData(ctx: DatabaseContext, session: number, fromLsn: number, records: readonly WalRecord[], extra: Partial<WalData> = {}): WalData {
  return {
    type: 'WalData',
    epoch: ctx.epoch,
    history: ctx.history,
    session,
    fromLsn,
    records,
    primaryLsn: ctx.flushLsn,
    streaming: session !== 0,
    baseBackup: false,
    sync: ctx.sync,
    ...extra,
  };
}

function setStream(c: Change, peer: NodeId, stream: StandbyStream | null): void {
  const streams = { ...c.ctx.streams };
  if (stream) streams[peer] = stream;
  else delete streams[peer];
  c.set({ streams });
}

/** Sends `peer` the flushed WAL it lacks, a batch at a time, within the in-flight limit. Returns whether anything went. */
function streamTo(c: Change, peer: NodeId): boolean {
  let stream = c.ctx.streams[peer];
  if (!stream || stream.state === 'stopped') return false;
  if (stream.nextLsn < c.ctx.walStartLsn) {
    walGone(c, peer);
    return false;
  }
  const windowLsn = stream.writeLsn + MAX_BATCHES_IN_FLIGHT * MAX_RECORDS_PER_BATCH * WAL_RECORD_BYTES;
  let sent = false;
  for (let batch = 0; batch < MAX_BATCHES_IN_FLIGHT && stream.nextLsn < c.ctx.flushLsn && stream.nextLsn < windowLsn; batch++) {
    const records = recordsAfter(c.ctx.wal, stream.nextLsn, Math.min(c.ctx.flushLsn, windowLsn), MAX_RECORDS_PER_BATCH);
    if (records.length === 0) break;
    c.send(peer, walData(c.ctx, stream.session, stream.nextLsn, records));
    const nextLsn = records[records.length - 1]!.lsn;
    stream = { ...stream, nextLsn, sentLsn: Math.max(stream.sentLsn, nextLsn) };
    sent = true;
  }
  if (sent) setStream(c, peer, stream);
  return sent;
}

function walGone(c: Change, peer: NodeId, empty = false): void {
  const { ctx } = c;
  setStream(c, peer, null);
  c.send(peer, empty ? { type: 'WalGone', epoch: ctx.epoch, oldestLsn: ctx.walStartLsn, dataBytes: ctx.flushLsn, empty } : { type: 'WalGone', epoch: ctx.epoch, oldestLsn: ctx.walStartLsn, dataBytes: ctx.flushLsn });
}

export function answerStreamStart(ctx: DatabaseContext, from: NodeId, req: StreamStart): Step {
  return run(ctx, (c) => {
    if (req.afterBaseBackup) {
      setStream(c, from, newStream(req.session, ctx.flushLsn, ctx.flushLsn));
      chooseFirst(c, false);
      c.send(from, walData(c.ctx, req.session, ctx.flushLsn, [], { baseBackup: true }));
      return;
    }
    if (req.fromLsn < ctx.walStartLsn) return walGone(c, from);
    // A node with an empty data directory (wiped, or cleared to rebuild) copies the data like
    // pg_basebackup, at base-backup speed, not in one WAL message.
    if (req.empty === true && ctx.flushLsn > 0) return walGone(c, from, true);
    if (req.fromLsn > ctx.flushLsn) {
      // It has WAL we never had: our history lets it find where it parted and rewind.
      setStream(c, from, null);
      c.send(from, walData(ctx, 0, ctx.flushLsn, []));
      return;
    }
    setStream(c, from, newStream(req.session, req.fromLsn, Math.min(req.flushLsn, req.fromLsn)));
    // Named before anything is sent, so the first WAL it gets tells it.
    chooseFirst(c, false);
    if (!streamTo(c, from)) c.send(from, walData(c.ctx, req.session, req.fromLsn, []));
  });
}

function newStream(session: number, fromLsn: number, flushLsn: number): StandbyStream {
  return {
    session,
    state: 'catchup',
    sentLsn: fromLsn,
    nextLsn: fromLsn,
    writeLsn: fromLsn,
    flushLsn,
    replayLsn: flushLsn,
    silentTicks: 0,
    quietTicks: 0,
    knownGen: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The synchronous standby, where the agents decide failovers (Patroni's synchronous_mode)
//
// The primary names its synchronous standby, and the agents promote only a standby that says it
// was named, in the failing primary's epoch. That is safe only if every standby that may say so
// holds every acknowledged write; two rules keep it so. A standby is named only once it has
// flushed everything acknowledged so far (until then it is `syncNext`, and writes wait for it
// too). A standby named earlier stays among `syncFormers`, and writes wait for it too, until it
// acknowledges having heard of the later naming: until then it may still believe it is the one,
// and a standby cut off from the primary cannot be told otherwise. A standby that was never named
// in this epoch (the old primary after a failover) blocks nothing.
//
// The other way to silence a former is the orchestrators' log (Patroni's /sync key). With
// `synchronousModeStrict` off, each lease entry carries the primary's latest naming, and the
// agents then promote no standby named lower in that epoch; once a lease renewal says its entry
// is committed, the primary stops waiting for the formers. So a named standby that stops
// answering (not within the sender timeout) is replaced at the next renewal by the first standby
// that is connected and caught up; with none, the naming is cleared (it names nobody) and, once
// the log holds that, writes are acknowledged on the primary's flush alone: durability is
// degraded (a `sync` event with no standbys), no standby may be promoted automatically (Patroni:
// when the primary fails in this state nobody is promoted; the primary itself may come back),
// and the first caught-up standby is named again. The order is what keeps acknowledged writes
// safe: the clearing is in the log before the first write is acknowledged without a standby.
// With `synchronousModeStrict` on, nothing is cleared: writes wait until a standby is named.

/** Standbys in the order they may be named synchronous: those the topology marks sync first, then the others. */
function syncCandidates(ctx: DatabaseContext): NodeId[] {
  const marked = syncStandbysOf(ctx);
  return [...marked, ...ctx.peers.filter((peer) => !marked.includes(peer))];
}

/** The standby still answers its stream: it acknowledged something within the sender timeout. */
function connected(stream: StandbyStream | undefined): stream is StandbyStream {
  return stream !== undefined && stream.state !== 'stopped' && stream.quietTicks < SENDER_TIMEOUT_TICKS;
}

/**
 * The standby a primary wants as synchronous: the first candidate that is connected and has caught
 * up, or the one named already while it stays connected; null when none is. Caught up as
 * PostgreSQL's walsender counts it: everything flushed here has been sent (under a steady stream
 * of writes the standby's acknowledgement always trails the newest flush by a round trip).
 */
export function syncChoice(ctx: DatabaseContext): NodeId | null {
  const named = ctx.sync?.standby;
  return (
    syncCandidates(ctx).find((peer) => {
      const stream = ctx.streams[peer];
      return connected(stream) && (stream.state === 'streaming' || stream.sentLsn >= ctx.flushLsn || peer === named);
    }) ?? null
  );
}

function namesSync(ctx: DatabaseContext): boolean {
  return reselectsSync(ctx.topology) && ctx.role === 'primary' && syncStandbysOf(ctx).length > 0;
}

/**
 * A primary with nobody named or chosen takes the first standby the topology marks synchronous as
 * soon as it connects (as PostgreSQL's synchronous_standby_names would); any other choice waits
 * for a lease renewal.
 */
function chooseFirst(c: Change, announce: boolean): void {
  const { ctx } = c;
  if (!namesSync(ctx) || (ctx.sync !== null && ctx.sync.standby !== null) || ctx.syncNext !== null) return;
  // Degraded (the naming was cleared): the first standby that is back and caught up.
  const cleared = ctx.sync !== null;
  const first = syncStandbysOf(ctx).find((peer) => {
    const stream = ctx.streams[peer];
    return connected(stream) && (!cleared || stream.state === 'streaming' || stream.sentLsn >= ctx.flushLsn);
  });
  if (first === undefined) return;
  c.set({ syncNext: first });
  publishNext(c, announce);
}

/**
 * At a lease renewal a primary chooses again (`syncChoice`). Only then: its answer to the renewal
 * carries its naming, so the agents see a change while they still back this primary.
 */
function chooseAtRenewal(c: Change): void {
  if (!namesSync(c.ctx)) return;
  chooseFirst(c, true);
  const choice = syncChoice(c.ctx);
  const next = choice === (c.ctx.sync?.standby ?? null) ? null : choice;
  if (next !== c.ctx.syncNext) c.set({ syncNext: next });
  publishNext(c, true);
  if (choice === null && !c.ctx.settings.synchronousModeStrict) clearNaming(c);
}

/**
 * The formers once `before` stops being the named standby. A node the orchestrators retired
 * (replaced) is never one: it will not answer again, and no agent promotes it, so writes must not
 * wait for it.
 */
function withFormer(ctx: DatabaseContext, before: NodeId | null): readonly NodeId[] {
  if (before === null || ctx.syncFormers.includes(before) || ctx.replaced[before] !== undefined) return ctx.syncFormers;
  return [...ctx.syncFormers, before];
}

/**
 * No standby is fit to be synchronous (`synchronousModeStrict` off): the naming is cleared. Writes
 * still wait for the standby named before (now a former) until the agents' log holds the
 * clearing (`agreeNaming`).
 */
function clearNaming(c: Change): void {
  const { ctx } = c;
  if (ctx.sync !== null && ctx.sync.standby === null) return;
  const before = ctx.sync?.standby ?? null;
  const formers = withFormer(ctx, before);
  c.set({ sync: { standby: null, epoch: ctx.epoch, gen: (ctx.sync?.gen ?? 0) + 1 }, syncNext: null, syncFormers: formers });
}

/**
 * A lease renewal says the orchestrators' log holds this primary's naming number `gen`: no
 * standby named lower may be promoted automatically any more, so writes stop waiting for the
 * formers once the current naming is in the log, and a cleared naming starts the degraded mode.
 */
function agreeNaming(c: Change, gen: number): void {
  c.set({ syncAgreed: gen });
  if (c.ctx.sync !== null && gen >= c.ctx.sync.gen && c.ctx.syncFormers.length > 0) c.set({ syncFormers: [] });
  showSync(c);
  settleWrites(c);
}

/** Names the chosen standby once it holds every acknowledged write; the one named before becomes a former. */
function publishNext(c: Change, announce: boolean): void {
  const { ctx } = c;
  const next = ctx.syncNext;
  const stream = next === null ? undefined : ctx.streams[next];
  if (next === null || !connected(stream) || stream.flushLsn < ctx.ackedLsn) return;
  const before = ctx.sync?.standby ?? null;
  const formers = withFormer(ctx, before);
  c.set({ sync: { standby: next, epoch: ctx.epoch, gen: (ctx.sync?.gen ?? 0) + 1 }, syncNext: null, syncFormers: formers.filter((f) => f !== next) });
  showSync(c);
  // Tell everyone connected at once: writes wait until the named one, and each former, has heard.
  if (!announce) return;
  for (const peer of ctx.peers) {
    const s = c.ctx.streams[peer];
    if (s && s.state !== 'stopped') c.send(peer, walData(c.ctx, s.session, s.nextLsn, []));
  }
}

/** A former that acknowledged hearing of the current naming no longer believes it is the one. */
function forgetFormers(c: Change): void {
  const { ctx } = c;
  if (ctx.sync === null || ctx.syncFormers.length === 0) return;
  const gen = ctx.sync.gen;
  const left = ctx.syncFormers.filter((f) => (ctx.streams[f]?.knownGen ?? 0) < gen);
  if (left.length !== ctx.syncFormers.length) c.set({ syncFormers: left });
}

/** A standby keeps the latest naming its primary sent (its own epoch's only). */
function learnNaming(c: Change, msg: WalData): void {
  const heard = msg.epoch === c.ctx.epoch ? (msg.sync ?? null) : null;
  const held = c.ctx.sync;
  if (heard?.standby !== held?.standby || heard?.gen !== held?.gen || heard?.epoch !== held?.epoch) c.set({ sync: heard });
}

/** The number of the latest naming this standby heard of in its epoch (0: none). */
function heardGen(ctx: DatabaseContext): number {
  return ctx.sync !== null && ctx.sync.epoch === ctx.epoch ? ctx.sync.gen : 0;
}

/**
 * Whether acknowledged writes wait for this standby's flush: where the primary names its
 * synchronous standby, whether it named this one; otherwise whether the topology makes it one.
 */
export function isSynchronous(ctx: DatabaseContext): boolean {
  if (ctx.role !== 'standby' || ctx.upstream === null) return false;
  if (reselectsSync(ctx.topology)) return ctx.sync !== null && ctx.sync.standby === ctx.id && ctx.sync.epoch === ctx.epoch;
  return modeOf(ctx.topology, ctx.id, ctx.upstream, ctx.replaced) === 'sync';
}

/** The synchronous standby a primary names (or, keeping the topology's, its first synchronous standby). */
export function syncStandbyOf(ctx: DatabaseContext): NodeId | null {
  if (ctx.role !== 'primary') return null;
  if (reselectsSync(ctx.topology)) return ctx.sync?.standby ?? null;
  return syncStandbysOf(ctx)[0] ?? null;
}

/**
 * The synchronous standbys a primary's acknowledged writes wait for now, or null when that is not
 * settled (a naming not yet made, or cleared but not yet in the agents' log: writes wait).
 */
function syncSetNow(ctx: DatabaseContext): readonly NodeId[] | null {
  if (ctx.role !== 'primary') return null;
  if (namesSync(ctx)) {
    const sync = ctx.sync;
    if (sync === null) return null;
    if (sync.standby !== null) return [sync.standby];
    return ctx.syncAgreed >= sync.gen ? [] : null;
  }
  const marked = syncStandbysOf(ctx);
  if (marked.length === 0) return null;
  return ctx.syncShown ?? marked;
}

/** Tells the trace (a `sync` event) when the synchronous standbys the writes wait for have changed. */
function showSync(c: Change): void {
  const now = syncSetNow(c.ctx);
  const shown = c.ctx.syncShown;
  if (now === null || (shown !== null && shown.length === now.length && shown.every((id, i) => id === now[i]))) return;
  c.set({ syncShown: now });
  c.trace({ type: 'sync', standbys: now });
}

/**
 * Where the topology fixes the synchronous standbys and nothing fails over automatically (Bully
 * orchestrators, or none): with `synchronousModeStrict` off, a marked standby that has not answered
 * within the sender timeout is no longer waited for (durability degraded while none is), and one
 * that streams again, caught up, is waited for again. With a witness, which promotes a standby on
 * its own, the topology's standbys are always waited for.
 */
function reviewFixedSync(c: Change): void {
  const { ctx } = c;
  if (ctx.role !== 'primary' || reselectsSync(ctx.topology) || ctx.settings.synchronousModeStrict) return;
  const marked = syncStandbysOf(ctx);
  if (marked.length === 0) return;
  const waited = ctx.syncShown ?? marked;
  let next = marked.filter((peer) => {
    const stream = ctx.streams[peer];
    if (!waited.includes(peer)) return connected(stream) && stream.state === 'streaming';
    return stream === undefined ? ctx.ticks - ctx.primarySinceTick < SENDER_TIMEOUT_TICKS : connected(stream);
  });
  if (witnessMode(ctx.topology)) {
    // The witness must know first: a standby is dropped only once it granted a renewal saying so.
    if (!renewsWithWitness(ctx)) return;
    const dropping = next.length < marked.length;
    if (dropping !== ctx.witness.degradedGranted && !dropping) setWitness(c, { degradedGranted: false });
    if (dropping && !ctx.witness.degradedGranted) next = marked.filter((peer) => waited.includes(peer) || next.includes(peer));
  }
  if (next.length === waited.length && next.every((id, i) => id === waited[i])) return;
  c.set({ syncShown: next });
  c.trace({ type: 'sync', standbys: next });
}

export function handleAck(ctx: DatabaseContext, from: NodeId, ack: WalAck): Step {
  return run(ctx, (c) => {
    const stream = ctx.streams[from];
    if (!stream || ack.session !== stream.session || ack.epoch !== ctx.epoch) return;
    const writeLsn = Math.max(stream.writeLsn, ack.writeLsn);
    const caughtUp = stream.state === 'streaming' || writeLsn >= ctx.flushLsn;
    setStream(c, from, {
      ...stream,
      writeLsn,
      flushLsn: Math.max(stream.flushLsn, ack.flushLsn),
      replayLsn: Math.max(stream.replayLsn, ack.replayLsn),
      silentTicks: 0,
      quietTicks: 0,
      knownGen: ack.syncGen,
      state: caughtUp ? 'streaming' : 'catchup',
    });
    forgetFormers(c);
    chooseFirst(c, true);
    publishNext(c, true);
    reviewFixedSync(c);
    settleWrites(c);
    streamTo(c, from);
    handOverIfCaughtUp(c);
  });
}

/** Every SENDER_TICK_MS: notice silent standbys, resend what seems lost, keep alive, announce. */
export function senderTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    const ticks = ctx.ticks + 1;
    c.set({ ticks });
    const keepalive = ticks % KEEPALIVE_EVERY_TICKS === 0;
    for (const peer of ctx.peers) tickStream(c, peer, keepalive);
    const shown = c.ctx.syncShown;
    reviewFixedSync(c);
    if (c.ctx.syncShown !== shown) settleWrites(c);
    c.timer(TIMER.sender, SENDER_TICK_MS);
  });
}

function tickStream(c: Change, peer: NodeId, keepalive: boolean): void {
  const stream = c.ctx.streams[peer];
  if (!stream || stream.state === 'stopped') {
    if (keepalive) c.send(peer, walData(c.ctx, 0, c.ctx.flushLsn, []));
    return;
  }
  const silentTicks = stream.silentTicks + 1;
  const quietTicks = stream.quietTicks + 1;
  if (silentTicks >= SENDER_TIMEOUT_TICKS) return setStream(c, peer, { ...stream, silentTicks, quietTicks, state: 'stopped' });
  const resend = silentTicks >= RESEND_AFTER_TICKS && stream.nextLsn > stream.writeLsn;
  setStream(c, peer, { ...stream, silentTicks: resend ? 0 : silentTicks, quietTicks, nextLsn: resend ? stream.writeLsn : stream.nextLsn });
  if (!streamTo(c, peer) && keepalive) c.send(peer, walData(c.ctx, stream.session, c.ctx.streams[peer]!.nextLsn, []));
}

// ---------------------------------------------------------------------------------------------
// The WAL receiver (standby)

export function receiveWal(ctx: DatabaseContext, from: NodeId, msg: WalData): Step {
  return run(ctx, (c) => {
    if (msg.epoch < ctx.epoch) return refuseOlderEpoch(c, from);
    if (ctx.role === 'primary' || ctx.role === 'demoted') {
      if (msg.epoch > ctx.epoch || (ctx.role === 'demoted' && msg.epoch === ctx.epoch)) {
        handoverDone(c, from, msg.epoch);
        follow(c, from, msg.epoch, `${from} is primary of epoch ${msg.epoch}; follows it`, msg.history);
      }
      return;
    }
    if (shouldFollowSender(ctx, from, msg)) {
      return follow(c, from, msg.epoch, `${from} is primary of epoch ${msg.epoch}; follows it`, msg.history);
    }
    if (from !== ctx.upstream) return;
    // Only WAL of the session it asked for, or an invitation to ask, shows its stream is alive: WAL
    // of a session it gave up on (its request was lost on a cut link) must not stop it asking again.
    if (!msg.streaming || msg.session === ctx.session) c.timer(TIMER.receiver, RECEIVER_TIMEOUT_MS);
    learnNaming(c, msg);
    if (ctx.role === 'rebuilding') return receiveWhileRebuilding(c, msg);
    if (!sameHistory(ctx.history, msg.history)) {
      if (!reconcile(c, msg.history)) return;
      return askToStream(c, false);
    }
    c.set({ primaryLsn: Math.max(ctx.primaryLsn, msg.primaryLsn) });
    // Not streaming: ask, unless we hold WAL beyond the primary's (then only the receiver timeout asks, so nobody ping-pongs).
    if (!msg.streaming) return ctx.writeLsn <= msg.primaryLsn ? askToStream(c, false) : undefined;
    if (msg.session === ctx.session) applyWal(c, msg);
  });
}

/**
 * A standby follows a newer epoch's primary; in its own epoch it switches only when it has no
 * upstream or has not yet seen that epoch's timeline (it learned the epoch from a Demote).
 */
function shouldFollowSender(ctx: DatabaseContext, from: NodeId, msg: WalData): boolean {
  if (msg.epoch > ctx.epoch) return true;
  if (from === ctx.upstream) return false;
  if (ctx.upstream === null) return true;
  // A rebuild cleared the history, so it cannot tell two primaries of one epoch apart (an
  // operator's split brain): it keeps the upstream it rebuilds from instead of switching back and
  // forth between them, restarting its copy each time, forever.
  if (ctx.role === 'rebuilding') return false;
  return !ctx.history.some((entry) => entry.epoch === msg.epoch);
}

function refuseOlderEpoch(c: Change, to: NodeId): void {
  const primary = c.ctx.role === 'primary' ? c.ctx.id : c.ctx.upstream;
  c.send(to, { type: 'Demote', epoch: c.ctx.epoch, primary });
}

function receiveWhileRebuilding(c: Change, msg: WalData): void {
  const { ctx } = c;
  if (ctx.rebuildPhase === 'copied' && msg.baseBackup) return loadBaseBackup(c, msg);
  if (ctx.rebuildPhase !== 'asking') return;
  if (!msg.streaming) return askToStream(c, false);
  // The primary still had all of its WAL: streaming from the start is a full copy too.
  if (msg.session === ctx.session && msg.fromLsn === 0) {
    c.set({ role: 'standby', history: msg.history.slice(), reason: `streams the whole WAL from ${ctx.upstream}` });
    applyWal(c, msg);
  }
}

function loadBaseBackup(c: Change, msg: WalData): void {
  clearData(c);
  const lsn = msg.fromLsn;
  c.set({
    role: 'standby',
    epoch: Math.max(c.ctx.epoch, msg.epoch),
    history: msg.history.slice(),
    walStartLsn: lsn,
    writeLsn: lsn,
    flushLsn: lsn,
    replayLsn: lsn,
    primaryLsn: msg.primaryLsn,
    reason: `rebuilt from a base backup of ${c.ctx.upstream} up to ${formatLsn(lsn)}; streaming again`,
  });
  sendAck(c);
}

function applyWal(c: Change, msg: WalData): void {
  const { ctx } = c;
  if (msg.fromLsn <= ctx.writeLsn) {
    for (const record of msg.records) if (record.lsn > c.ctx.writeLsn) appendRecord(c, record);
  }
  if (c.ctx.writeLsn > ctx.writeLsn && ctx.settings.diskFlushMs === 0) return flushStandbyNow(c);
  if (c.ctx.writeLsn > c.ctx.flushLsn && !c.ctx.flushArmed) {
    c.set({ flushArmed: true });
    c.timer(TIMER.flush, ctx.settings.diskFlushMs);
  }
  sendAck(c);
}

function appendRecord(c: Change, record: WalRecord): void {
  c.ctx.wal.push(record);
  c.set({ writeLsn: record.lsn });
}

export function flushStandby(ctx: DatabaseContext): Step {
  return run(ctx, flushStandbyNow);
}

function flushStandbyNow(c: Change): void {
  const { ctx } = c;
  const walStartLsn = recycle(ctx.wal, ctx.walStartLsn, ctx.writeLsn, ctx.settings.walKeepBytes);
  c.set({ flushLsn: ctx.writeLsn, replayLsn: ctx.writeLsn, flushArmed: false, walStartLsn });
  sendAck(c);
}

function sendAck(c: Change): void {
  const { ctx } = c;
  if (ctx.upstream === null) return;
  const syncGen = heardGen(ctx);
  c.send(ctx.upstream, { type: 'WalAck', epoch: ctx.epoch, session: ctx.session, writeLsn: ctx.writeLsn, flushLsn: ctx.flushLsn, replayLsn: ctx.replayLsn, syncGen });
}

export function receiverTimeout(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.role === 'rebuilding' && ctx.rebuildPhase === 'copying') return;
    askToStream(c, ctx.role === 'rebuilding' && ctx.rebuildPhase === 'copied');
  });
}

/** A StreamStart reached a node that is not primary: point the asker to whom it follows. */
export function redirectStreamStart(ctx: DatabaseContext, from: NodeId, req: StreamStart): Step {
  return run(ctx, (c) => {
    if (req.epoch <= ctx.epoch && ctx.upstream !== from) c.send(from, { type: 'Demote', epoch: ctx.epoch, primary: ctx.upstream });
  });
}

// ---------------------------------------------------------------------------------------------
// Rebuilding from a base backup

export function walGoneReceived(ctx: DatabaseContext, from: NodeId, msg: WalGone): Step {
  return run(ctx, (c) => {
    if (from !== ctx.upstream || msg.epoch < ctx.epoch) return;
    if (ctx.role === 'rebuilding' && ctx.rebuildPhase !== 'asking') return;
    const backupMs = Math.max(1, Math.ceil((msg.dataBytes * 1000) / ctx.settings.baseBackupBytesPerSec));
    const why = msg.empty ? 'its disk is empty' : `${from} no longer keeps the WAL it needs (oldest ${formatLsn(msg.oldestLsn)})`;
    const reason = `${why}: copying a base backup of ${kilobytes(msg.dataBytes)} from ${from}, about ${(backupMs / 1000).toFixed(1)} s`;
    if (ctx.role !== 'rebuilding') clearData(c);
    c.set({ role: 'rebuilding', epoch: Math.max(ctx.epoch, msg.epoch), rebuildPhase: 'copying', backupMs, reason });
    c.timer(TIMER.baseBackup, backupMs);
    c.timer(TIMER.receiver, backupMs + RECEIVER_TIMEOUT_MS);
    if (ctx.role === 'rebuilding') c.trace({ type: 'role', role: 'rebuilding', term: c.ctx.epoch, reason });
  });
}

export function baseBackupCopied(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.rebuildPhase !== 'copying') return;
    c.set({ rebuildPhase: 'copied' });
    askToStream(c, true);
  });
}

// ---------------------------------------------------------------------------------------------
// Commands: promotion, demotion, the lease, health checks

export function promoteByMessage(ctx: DatabaseContext, msg: Promote): Step {
  return run(ctx, (c) => {
    if (msg.epoch <= ctx.epoch) return c.set({ reason: `refused a promotion to epoch ${msg.epoch}: already in epoch ${ctx.epoch}` });
    if (ctx.role === 'rebuilding') return c.set({ reason: `refused a promotion to epoch ${msg.epoch}: still being rebuilt` });
    const lacking = lacks(ctx, msg.minLsn ?? 0, msg.timeline ?? null);
    if (lacking !== null) return c.set({ reason: `refused a promotion to epoch ${msg.epoch}: ${lacking}` });
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

// ---- a switchover without orchestrators ------------------------------------------------------

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
function handOverIfCaughtUp(c: Change): void {
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
  return { type: 'Promote', epoch: handover.epoch, minLsn: ctx.flushLsn, timeline: epochAt(ctx.history, ctx.flushLsn), switchover: true };
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
function handoverDone(c: Change, from: NodeId, epoch: number): void {
  const handover = c.ctx.handover;
  if (handover === null || !handover.promoteSent || from !== handover.to || epoch < handover.epoch) return;
  c.set({ handover: null });
  c.cancel(TIMER.handover);
  handoverStep(c, 'redirect', handover.to, handover.epoch, true, `${handover.to} accepts writes in epoch ${handover.epoch}: clients now write to it`);
}

function handoverStep(c: Change, step: FailoverStep, to: NodeId, epoch: number, ok: boolean, text: string): void {
  c.trace({ type: 'failover', step, from: c.ctx.id, to, epoch, ok, text });
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

function healthReply(ctx: DatabaseContext, seq: number): HealthReply {
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

// ---------------------------------------------------------------------------------------------
// Witness mode: the primary's lease with the witness; the standby's checks and takeover

function setWitness(c: Change, patch: Partial<WitnessSide>): void {
  c.set({ witness: { ...c.ctx.witness, ...patch } });
}

/** Sends the witness a renewal or a lock request and waits `timeoutMs` for its answer; a later one is ignored. */
function askWitness(c: Change, build: (seq: number) => LeaseRenew | LockRequest): void {
  const seq = c.ctx.witness.seq + 1;
  setWitness(c, { seq, awaiting: seq });
  c.send(WITNESS_ID, build(seq));
  c.timer(TIMER.witnessWait, c.ctx.settings.healthCheck.timeoutMs);
}

/** With quorum off the witness is ignored: nobody renews, and a standby takes over alone. */
function renewsWithWitness(ctx: DatabaseContext): boolean {
  return witnessMode(ctx.topology) && ctx.settings.quorum;
}

function startRenewing(c: Change): void {
  if (renewsWithWitness(c.ctx)) sendRenewal(c);
}

function stopRenewing(c: Change): void {
  if (!witnessMode(c.ctx.topology)) return;
  c.cancel(TIMER.witnessRenew);
  c.cancel(TIMER.witnessWait);
  if (c.ctx.witness.awaiting !== 0) setWitness(c, { awaiting: 0 });
}

function sendRenewal(c: Change): void {
  c.timer(TIMER.witnessRenew, c.ctx.settings.healthCheck.intervalMs);
  const { epoch, ackedLsn, history } = c.ctx;
  const degraded = wantsDegraded(c.ctx);
  setWitness(c, { renewingDegraded: degraded });
  askWitness(c, (seq) => (degraded ? { type: 'LeaseRenew', seq, epoch, ackedLsn, history, degraded } : { type: 'LeaseRenew', seq, epoch, ackedLsn, history }));
}

/**
 * Witness mode, `synchronousModeStrict` off: the primary wants to run degraded when a standby the
 * topology marks synchronous has not answered within the sender timeout, or is dropped already.
 */
function wantsDegraded(ctx: DatabaseContext): boolean {
  if (ctx.settings.synchronousModeStrict || ctx.role !== 'primary') return false;
  const marked = syncStandbysOf(ctx);
  if (marked.length === 0) return false;
  const waited = ctx.syncShown ?? marked;
  return marked.some((peer) => {
    const stream = ctx.streams[peer];
    if (!waited.includes(peer)) return true;
    return stream === undefined ? ctx.ticks - ctx.primarySinceTick >= SENDER_TIMEOUT_TICKS : !connected(stream);
  });
}

/** Every `intervalMs` a primary asks the witness to renew its lease. */
export function renewTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.role === 'primary' && renewsWithWitness(ctx)) sendRenewal(c);
  });
}

/** The witness answered a renewal (primary) or a lock request (standby). */
export function witnessReplied(ctx: DatabaseContext, from: NodeId, msg: WitnessReply): Step {
  return run(ctx, (c) => {
    if (from !== WITNESS_ID || msg.seq !== ctx.witness.awaiting) return;
    setWitness(c, { awaiting: 0 });
    c.cancel(TIMER.witnessWait);
    if (ctx.role === 'primary') return leaseAnswered(c, msg);
    const takeover = ctx.witness.takeover;
    if ((ctx.role === 'standby' || ctx.role === 'demoted') && takeover?.step === 'asking') lockAnswered(c, takeover, msg);
  });
}

function leaseAnswered(c: Change, msg: WitnessReply): void {
  const { ctx } = c;
  if (msg.granted) {
    if (!ctx.writable) return;
    // A primary promoted by hand answers to the witness's lease from its first renewal on.
    if (ctx.leaseWaived) c.set({ leaseWaived: false });
    c.timer(TIMER.lease, witnessLeaseMs(ctx));
    // The witness now knows it may run degraded: from here on it gives the lock to nobody else.
    if (ctx.witness.renewingDegraded && !ctx.witness.degradedGranted) {
      setWitness(c, { degradedGranted: true });
      reviewFixedSync(c);
      settleWrites(c);
    }
    return;
  }
  // Somebody else holds the lock in this epoch or a newer one: this node is not the primary any more.
  if (msg.holder !== ctx.id && msg.epoch >= ctx.epoch) {
    becomeDemoted(c, msg.epoch, `the witness gave the lock to ${msg.holder} in epoch ${msg.epoch}; stopped taking writes`);
  }
}

/** No answer from the witness in time: a primary's lease is simply not renewed; a standby's takeover stops here. */
export function witnessTimedOut(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.witness.awaiting === 0) return;
    setWitness(c, { awaiting: 0 });
    const takeover = ctx.witness.takeover;
    if ((ctx.role !== 'standby' && ctx.role !== 'demoted') || takeover?.step !== 'asking') return;
    setWitness(c, { takeover: null });
    const text =
      ctx.role === 'demoted'
        ? `${ctx.id} hears no primary, but the witness does not answer: without its vote it may not take over`
        : `${failedChecks(c, takeover.from)}, but the witness does not answer: without its vote nobody may take over, so there is no failover (${takeover.from} keeps writing only while its lease lasts)`;
    sayOnce(c, 'detect', takeover, text);
  });
}

function startChecking(c: Change): void {
  if (witnessMode(c.ctx.topology)) c.timer(TIMER.peerCheck, c.ctx.settings.healthCheck.intervalMs);
}

function stopChecking(c: Change): void {
  if (!witnessMode(c.ctx.topology)) return;
  c.cancel(TIMER.peerCheck);
  c.cancel(TIMER.peerWait);
  setWitness(c, { checkAwaiting: 0, failures: 0, takeover: null, said: null, peerStopped: false, peerBackAt: null, deferTo: null });
}

/** Every `intervalMs` a standby health-checks its primary, as an orchestrator's agent would. */
export function peerCheckTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (!witnessMode(ctx.topology) || ctx.role === 'primary') return;
    c.timer(TIMER.peerCheck, ctx.settings.healthCheck.intervalMs);
    if (ctx.role === 'demoted') return demotedTick(c);
    if (ctx.role !== 'standby' || ctx.upstream === null) {
      if (ctx.witness.failures !== 0 || ctx.witness.checkAwaiting !== 0) setWitness(c, { failures: 0, checkAwaiting: 0 });
      return;
    }
    // Normally the timeout has counted an unanswered check already; not when timeoutMs ≥ intervalMs.
    if (ctx.witness.checkAwaiting !== 0) {
      setWitness(c, { peerStopped: stillStopped(ctx) });
      countPeerFailure(c);
    }
    const seq = c.ctx.witness.seq + 1;
    setWitness(c, { seq, checkAwaiting: seq });
    c.send(ctx.upstream, { type: 'HealthCheck', seq });
    c.timer(TIMER.peerWait, ctx.settings.healthCheck.timeoutMs);
  });
}

export function peerCheckTimedOut(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.witness.checkAwaiting === 0) return;
    setWitness(c, { checkAwaiting: 0, peerStopped: stillStopped(ctx) });
    countPeerFailure(c);
  });
}

/** An unanswered check sent before the primary said it came back demoted does not undo what it said. */
function stillStopped(ctx: DatabaseContext): boolean {
  return ctx.witness.peerBackAt !== null && ctx.witness.checkAwaiting <= ctx.witness.peerBackAt;
}

/** The primary's answer: healthy only if it is a primary that takes writes. */
export function peerReplied(ctx: DatabaseContext, from: NodeId, reply: HealthReply): Step {
  return run(ctx, (c) => {
    // Said unasked by a former primary that restarted: it takes no writes (see `announceBack`).
    if (reply.seq === 0 && !reply.writable) return peerBack(c, from, reply);
    if (from !== ctx.upstream) return;
    if (reply.seq !== ctx.witness.checkAwaiting || ctx.witness.checkAwaiting === 0) return;
    setWitness(c, { checkAwaiting: 0, peerBackAt: null });
    c.cancel(TIMER.peerWait);
    if (reply.writable && reply.role === 'primary') return setWitness(c, { failures: 0, said: null, peerStopped: false });
    setWitness(c, { peerStopped: true });
    countPeerFailure(c);
  });
}

/**
 * A peer restarted as a former primary. If it is this standby's primary, its failed checks are no
 * reason to power it off. A former primary hearing it holds less WAL leaves the lock to it.
 */
function peerBack(c: Change, from: NodeId, reply: HealthReply): void {
  const { ctx } = c;
  if (from === ctx.upstream && ctx.role === 'standby') return setWitness(c, { peerStopped: true, peerBackAt: ctx.witness.seq });
  if (ctx.role === 'demoted' && walAhead(reply, ctx)) setWitness(c, { deferTo: from });
}

function countPeerFailure(c: Change): void {
  const failures = c.ctx.witness.failures + 1;
  setWitness(c, { failures });
  if (failures >= c.ctx.settings.healthCheck.failureThreshold) takeOver(c);
}

/**
 * Where the topology makes a standby synchronous, only a synchronous one may take over: it alone
 * surely holds every acknowledged write. With asynchronous standbys only, any may.
 */
function mayTakeOver(ctx: DatabaseContext, primary: NodeId): boolean {
  const marked = [ctx.id, ...ctx.peers].filter((db) => db !== primary && modeOf(ctx.topology, db, primary) === 'sync');
  return marked.length === 0 || marked.includes(ctx.id);
}

function failedChecks(c: Change, from: NodeId): string {
  return `${from} failed ${c.ctx.settings.healthCheck.failureThreshold} health checks in a row`;
}

/**
 * The primary failed `failureThreshold` checks in a row: ask the witness for the lock in the next
 * epoch. The detection is told once the witness has answered: with its vote, detect and confirm;
 * without it, a detect that is not done, saying why (once, not at every retry). With quorum off the
 * standby decides alone.
 */
function takeOver(c: Change): void {
  const { ctx } = c;
  const from = ctx.upstream;
  if (ctx.role !== 'standby' || from === null || ctx.witness.takeover !== null) return;
  const plan = { from, epoch: ctx.epoch + 1 };
  if (!mayTakeOver(ctx, from)) {
    const text = `${failedChecks(c, from)}, but ${ctx.id} replicates asynchronously beside a synchronous standby: it may lack acknowledged writes, so it does not take over`;
    return sayOnce(c, 'detect', plan, text);
  }
  if (!ctx.settings.quorum) {
    setWitness(c, { takeover: { ...plan, step: 'fencing' } });
    failoverStep(c, 'detect', plan, true, `${failedChecks(c, from)}; ${ctx.id} takes over`);
    failoverStep(c, 'confirm', plan, true, `quorum is off: ${ctx.id} decides alone, without asking the witness`);
    return fenceOldPrimary(c);
  }
  askForLock(c, plan.from, plan.epoch);
}

/** Asks the witness for the lock, saying what this node holds: the witness gives it only to a node holding every acknowledged write. */
function askForLock(c: Change, from: NodeId, epoch: number): void {
  setWitness(c, { takeover: { from, epoch, step: 'asking' } });
  const { flushLsn, history } = c.ctx;
  askWitness(c, (seq) => ({ type: 'LockRequest', seq, epoch, primary: c.ctx.role === 'demoted' ? null : from, flushLsn, history }));
}

/**
 * Witness mode, a former primary (restarted, or stopped by its lease): a primary that exists and
 * can reach it makes it follow at once (its WAL announcements). One that hears none for
 * `failureThreshold` intervals asks the witness for the lock, again every interval; the witness
 * gives it only if nobody's lease is alive and it holds every acknowledged write.
 */
function demotedTick(c: Change): void {
  const { ctx } = c;
  if (!ctx.settings.quorum || ctx.witness.takeover !== null) return;
  const failures = ctx.witness.failures + 1;
  setWitness(c, { failures });
  const threshold = ctx.settings.healthCheck.failureThreshold;
  if (failures < threshold) return;
  // A peer back with more of the WAL asks at the same time: it is left the lock, for as long again
  // (if it never takes it, it died again, and this node asks after all).
  const deferTo = ctx.witness.deferTo;
  if (deferTo !== null && failures < 2 * threshold) {
    return sayOnce(c, 'detect', { from: ctx.id, epoch: ctx.epoch + 1 }, `${ctx.id} hears no primary, but ${deferTo} came back holding more of the WAL: ${ctx.id} leaves the lock to it`);
  }
  askForLock(c, ctx.id, ctx.epoch + 1);
}

function lockAnswered(c: Change, asked: NonNullable<WitnessSide['takeover']>, msg: WitnessReply): void {
  const demoted = c.ctx.role === 'demoted';
  if (!msg.granted) {
    setWitness(c, { takeover: null });
    const why = demoted ? `${c.ctx.id} hears no primary` : failedChecks(c, asked.from);
    return sayOnce(c, 'detect', asked, `${why}, but the witness refused ${c.ctx.id} the lock: ${msg.reason}; no failover`);
  }
  // The witness names the epoch (newer than any it gave) and whom the lock is taken from.
  const takeover = { from: msg.previous ?? asked.from, epoch: msg.epoch, step: 'asking' as const };
  setWitness(c, { takeover });
  const detected = demoted ? `${c.ctx.id} heard no primary for ${c.ctx.settings.healthCheck.failureThreshold} intervals` : failedChecks(c, asked.from);
  failoverStep(c, 'detect', takeover, true, `${detected}; ${c.ctx.id} asked the witness for the lock`);
  failoverStep(c, 'confirm', takeover, true, `the witness gave ${c.ctx.id} the lock for epoch ${takeover.epoch}: ${msg.reason}, so two of three nodes agree`);
  if (demoted) {
    // Nothing to power off: a former primary takes back its own lock, or the holder's lease ran
    // out on the witness's clock, after the holder's own (quorum is on on this path).
    const text = takeover.from === c.ctx.id ? `${c.ctx.id} held the lock itself` : `${takeover.from}'s lease ran out before the witness's, so it has stopped taking writes; it is not powered off`;
    failoverStep(c, 'fence', takeover, true, text);
    return promoteSelf(c);
  }
  fenceOldPrimary(c);
}

/**
 * Fencing powers off an old primary whose state is unknown. One that has just answered that it
 * takes no writes (restarted as a former primary, or stopped by its lease) is left running: it
 * will follow the new primary, and stays a standby for it (powered off, it would be lost to the
 * synchronous standbys the new primary waits for).
 */
function fenceOldPrimary(c: Change): void {
  const takeover = c.ctx.witness.takeover!;
  if (c.ctx.settings.fencing && c.ctx.witness.peerStopped && c.ctx.settings.quorum && takeover.from === c.ctx.upstream) {
    failoverStep(c, 'fence', takeover, true, `${takeover.from} answers that it takes no writes: nothing to power off; it will follow ${c.ctx.id}`);
    return promoteSelf(c);
  }
  if (c.ctx.settings.fencing) {
    setWitness(c, { takeover: { ...takeover, step: 'fencing' } });
    c.fence(takeover.from);
    return;
  }
  const text = c.ctx.settings.quorum
    ? `fencing is off: ${takeover.from} is not powered off, but its own lease ran out before the witness's did, so it has stopped taking writes`
    : `fencing is off: ${takeover.from} is not powered off and may still take writes`;
  failoverStep(c, 'fence', takeover, true, text);
  promoteSelf(c);
}

/** The kernel's answer to the fence: promote on success; if the old primary could not be powered off, promote nothing. */
export function fenceResult(ctx: DatabaseContext, node: NodeId, ok: boolean, reason: string): Step {
  return run(ctx, (c) => {
    const takeover = ctx.witness.takeover;
    if ((ctx.role !== 'standby' && ctx.role !== 'demoted') || takeover?.step !== 'fencing' || takeover.from !== node) return;
    if (ok) {
      failoverStep(c, 'fence', takeover, true, reason);
      return promoteSelf(c);
    }
    // Pacemaker's rule. The next failed check asks again; the witness gives the same lock back.
    setWitness(c, { takeover: null });
    sayOnce(c, 'fence', takeover, `${reason}; nothing is promoted`);
  });
}

function promoteSelf(c: Change): void {
  const takeover = c.ctx.witness.takeover!;
  setWitness(c, { takeover: null });
  if (takeover.epoch <= c.ctx.epoch) return; // a newer epoch began meanwhile: somebody else took over
  failoverStep(c, 'promote', takeover, true, `${c.ctx.id} promotes itself to primary of epoch ${takeover.epoch}`);
  promote(c, takeover.epoch, 'witness');
  failoverStep(c, 'redirect', takeover, true, `${c.ctx.id} accepts writes in epoch ${takeover.epoch}: clients now write to it`);
}

function failoverStep(c: Change, step: FailoverStep, plan: { from: NodeId; epoch: number }, ok: boolean, text: string): void {
  c.trace({ type: 'failover', step, from: plan.from, to: c.ctx.id, epoch: plan.epoch, ok, text });
}

/** A step that is not done is said once, not again at every retry. */
function sayOnce(c: Change, step: FailoverStep, plan: { from: NodeId; epoch: number }, text: string): void {
  if (c.ctx.witness.said === text) return;
  setWitness(c, { said: text });
  failoverStep(c, step, plan, false, text);
}

// ---------------------------------------------------------------------------------------------
// Scheduled backups (primary, only with `topology.backups`)

/** The schedule's tick and how many ticks apart full backups are: incrementals fill the ticks between. */
export function backupSchedule(topology: Topology): { tickMs: number; fullEveryTicks: number } | null {
  const backups = topology.backups;
  if (backups === null) return null;
  const tickMs = Math.min(backups.incrementalEveryMs, backups.fullEveryMs);
  return { tickMs, fullEveryTicks: Math.max(1, Math.round(backups.fullEveryMs / tickMs)) };
}

/** A new primary starts its own chain: its first backup to each store is full. */
function startBackupSchedule(c: Change): void {
  const schedule = backupSchedule(c.ctx.topology);
  if (schedule === null) return;
  c.set({ backupCount: 0, shippedLsn: {}, backupOutbox: {} });
  c.timer(TIMER.backup, schedule.tickMs);
}

/** A primary that stops writing abandons the backups still on their way. */
function stopBackupSchedule(c: Change): void {
  if (c.ctx.topology.backups === null) return;
  c.cancel(TIMER.backup);
  for (const store of backupStoresOf(c.ctx.topology)) c.cancel(TIMER.backupShip + store.id);
  c.set({ backupOutbox: {} });
}

/** The backup due for `store` at the `count`-th tick, or null when nothing new is there to send. */
function backupFor(ctx: DatabaseContext, store: NodeId, count: number, fullEveryTicks: number): BackupData | null {
  const shipped = ctx.shippedLsn[store];
  const full = shipped === undefined || shipped < ctx.walStartLsn || (count - 1) % fullEveryTicks === 0;
  const base = { type: 'BackupData', epoch: ctx.epoch, history: ctx.history, walStartLsn: ctx.walStartLsn, upToLsn: ctx.flushLsn } as const;
  if (full) return { ...base, kind: 'full', fromLsn: 0, records: recordsAfter(ctx.wal, ctx.walStartLsn, ctx.flushLsn, Infinity) };
  if (shipped >= ctx.flushLsn) return null;
  return { ...base, kind: 'incremental', fromLsn: shipped, records: recordsAfter(ctx.wal, shipped, ctx.flushLsn, Infinity) };
}

/**
 * Takes the scheduled backups: for each store without one still on its way, the data (full) or
 * the WAL since the last backup (incremental) up to the flushed LSN, sent once it has travelled.
 */
export function backupTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    const schedule = backupSchedule(ctx.topology);
    if (schedule === null || ctx.role !== 'primary') return;
    const count = ctx.backupCount + 1;
    const outbox = { ...ctx.backupOutbox };
    const myRegion = standbySpecOf(ctx.topology, ctx.id)?.region ?? 'primary';
    for (const store of backupStoresOf(ctx.topology)) {
      if (outbox[store.id]) continue;
      const backup = backupFor(ctx, store.id, count, schedule.fullEveryTicks);
      if (backup === null) continue;
      outbox[store.id] = backup;
      c.timer(TIMER.backupShip + store.id, shipTimeMs(backupBytes(backup), store.region !== myRegion));
    }
    c.set({ backupCount: count, backupOutbox: outbox });
    c.timer(TIMER.backup, schedule.tickMs);
  });
}

/** The copy for `store` has travelled: send it (it arrives after the network's latency). */
export function shipBackup(ctx: DatabaseContext, timerName: string): Step {
  return run(ctx, (c) => {
    const store = timerName.slice(TIMER.backupShip.length);
    const backup = ctx.backupOutbox[store];
    if (!backup || ctx.role !== 'primary') return;
    const outbox = { ...ctx.backupOutbox };
    delete outbox[store];
    c.set({ backupOutbox: outbox, shippedLsn: { ...ctx.shippedLsn, [store]: backup.upToLsn } });
    c.send(store, backup);
  });
}
