/**
 * The database node's rules as plain functions: PostgreSQL streaming replication with
 * `synchronous_commit = on` for synchronous standbys, `wal_keep_size` retention, timelines
 * (epochs) with pg_rewind, and Patroni's lease. Each step takes the context and an input and
 * returns the fields that change and the effects to emit. A step may change `role`; the machine
 * (machine.ts) then moves to the state of that name.
 *
 * One deliberate impurity, as in Raft's log: `wal` and `pending` are changed in place.
 */
import type { NodeId, NodeTrace } from '../protocol';
import type { ProgramInput } from '../program';
import type { ReplicationMode, StandbySpec, Topology } from '../../scenario/types';
import type {
  DatabaseContext,
  DatabaseDisk,
  DatabaseEffect,
  DatabaseMessage,
  DatabaseRole,
  Demote,
  HealthCheck,
  Promote,
  StandbyStream,
  StreamStart,
  TimelineEntry,
  WalAck,
  WalData,
  WalGone,
  WalRecord,
} from './types';
import { WAL_RECORD_BYTES, divergenceLsn, formatLsn, recordsAfter, recycle, sameHistory, truncateAfter } from './wal';
import type { BackupData } from '../backup/types';
import { backupBytes, backupStoresOf, shipTimeMs } from '../backup/logic';

/** The node that starts as primary of epoch 1 (CONTRACT.md section 2). */
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

function standbySpecOf(topology: Topology, id: NodeId): StandbySpec | null {
  const match = /^db-(\d+)$/.exec(id);
  const index = match ? Number(match[1]) - 2 : -1;
  return topology.database?.standbys[index] ?? null;
}

/**
 * How `standby` replicates from `primary`. db-2… keep the mode the scenario gave them; db-1 as a
 * standby takes the place, and the mode, of the standby that replaced it as primary.
 */
export function modeOf(topology: Topology, standby: NodeId, primary: NodeId): ReplicationMode {
  return (standbySpecOf(topology, standby) ?? standbySpecOf(topology, primary))?.replication ?? 'async';
}

export function syncStandbysOf(ctx: DatabaseContext): NodeId[] {
  return ctx.peers.filter((peer) => modeOf(ctx.topology, peer, ctx.id) === 'sync');
}

/**
 * Patroni's rule applies when quorum is on and someone renews the lease: Raft orchestrators, whose
 * agents renew it through their log. (Bully orchestrators have no log to agree through and run no
 * agent; the witness is not simulated yet: with them alone, nobody would renew it.)
 */
export function leaseApplies(ctx: DatabaseContext): boolean {
  const renewers = ctx.topology.orchestrators > 0 && ctx.topology.election === 'raft';
  return ctx.settings.quorum && renewers && !ctx.leaseWaived;
}

/** The first lease also covers the orchestrators' first election and first health check. */
export function firstLeaseMs(ctx: DatabaseContext): number {
  return ctx.settings.leaseMs + ctx.settings.electionTimeoutMs[1] + ctx.settings.healthCheck.intervalMs;
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
    role: disk.role,
    backupCount: 0,
    shippedLsn: {},
    backupOutbox: {},
    restoredFrom: disk.restoredFrom ?? null,
  };
}

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
  };
}

/** The first steps after boot: a new primary opens for writes; a restarted one waits for its lease; a standby asks to stream. */
export function boot(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
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
  });
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
  c.set({ role: 'primary', epoch, upstream: null, writable: true, streams: {}, reason, primaryLsn: c.ctx.flushLsn });
  c.cancel(TIMER.receiver);
  c.cancel(TIMER.baseBackup);
  c.timer(TIMER.sender, SENDER_TICK_MS);
  if (leaseMs !== null && leaseApplies(c.ctx)) c.timer(TIMER.lease, leaseMs);
  startBackupSchedule(c);
  c.trace({ type: 'writable', on: true, epoch });
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
}

function becomeDemoted(c: Change, epoch: number, reason: string): void {
  stopWriting(c, reason);
  c.set({ role: 'demoted', epoch: Math.max(epoch, c.ctx.epoch), reason });
}

/** Follow `primary` of `epoch`: stop writing, rewind what the new timeline lacks, ask to stream. */
function follow(c: Change, primary: NodeId, epoch: number, reason: string, history: readonly TimelineEntry[] | null): void {
  stopWriting(c, reason);
  const wasRebuilding = c.ctx.role === 'rebuilding';
  c.set({ role: 'standby', upstream: primary, epoch: Math.max(epoch, c.ctx.epoch), reason, primaryLsn: c.ctx.flushLsn });
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
  c.send(ctx.upstream, { type: 'StreamStart', epoch: ctx.epoch, session, fromLsn: ctx.writeLsn, flushLsn: ctx.flushLsn, afterBaseBackup });
}

function promote(c: Change, epoch: number, byOperator: boolean): void {
  const { ctx } = c;
  const synchronous = ctx.role === 'standby' && ctx.upstream !== null && modeOf(ctx.topology, ctx.id, ctx.upstream) === 'sync';
  flushAll(c);
  c.set({ leaseWaived: byOperator });
  c.trace({ type: 'promoted', epoch, flushLsn: c.ctx.flushLsn, synchronous });
  const who = byOperator ? 'an operator' : 'the orchestrators';
  becomePrimary(c, epoch, `promoted by ${who} to primary of epoch ${epoch} at ${formatLsn(c.ctx.flushLsn)}`, ctx.settings.leaseMs);
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

/** The highest LSN a commit may be acknowledged at: flushed here, and on every synchronous standby. */
export function committableLsn(ctx: DatabaseContext): number {
  let lsn = ctx.flushLsn;
  for (const standby of syncStandbysOf(ctx)) lsn = Math.min(lsn, ctx.streams[standby]?.flushLsn ?? 0);
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
  if (settled > 0) pending.splice(0, settled);
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

function walGone(c: Change, peer: NodeId): void {
  const { ctx } = c;
  setStream(c, peer, null);
  c.send(peer, { type: 'WalGone', epoch: ctx.epoch, oldestLsn: ctx.walStartLsn, dataBytes: ctx.flushLsn });
}

export function answerStreamStart(ctx: DatabaseContext, from: NodeId, req: StreamStart): Step {
  return run(ctx, (c) => {
    if (req.afterBaseBackup) {
      setStream(c, from, newStream(req.session, ctx.flushLsn, ctx.flushLsn));
      c.send(from, walData(ctx, req.session, ctx.flushLsn, [], { baseBackup: true }));
      return;
    }
    if (req.fromLsn < ctx.walStartLsn) return walGone(c, from);
    if (req.fromLsn > ctx.flushLsn) {
      // It has WAL we never had: our history lets it find where it parted and rewind.
      setStream(c, from, null);
      c.send(from, walData(ctx, 0, ctx.flushLsn, []));
      return;
    }
    setStream(c, from, newStream(req.session, req.fromLsn, Math.min(req.flushLsn, req.fromLsn)));
    if (!streamTo(c, from)) c.send(from, walData(ctx, req.session, req.fromLsn, []));
  });
}

function newStream(session: number, fromLsn: number, flushLsn: number): StandbyStream {
  return { session, state: 'catchup', sentLsn: fromLsn, nextLsn: fromLsn, writeLsn: fromLsn, flushLsn, replayLsn: flushLsn, silentTicks: 0 };
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
      state: caughtUp ? 'streaming' : 'catchup',
    });
    settleWrites(c);
    streamTo(c, from);
  });
}

/** Every SENDER_TICK_MS: notice silent standbys, resend what seems lost, keep alive, announce. */
export function senderTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    const ticks = ctx.ticks + 1;
    c.set({ ticks });
    const keepalive = ticks % KEEPALIVE_EVERY_TICKS === 0;
    for (const peer of ctx.peers) tickStream(c, peer, keepalive);
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
  if (silentTicks >= SENDER_TIMEOUT_TICKS) return setStream(c, peer, { ...stream, silentTicks, state: 'stopped' });
  const resend = silentTicks >= RESEND_AFTER_TICKS && stream.nextLsn > stream.writeLsn;
  setStream(c, peer, { ...stream, silentTicks: resend ? 0 : silentTicks, nextLsn: resend ? stream.writeLsn : stream.nextLsn });
  if (!streamTo(c, peer) && keepalive) c.send(peer, walData(c.ctx, stream.session, c.ctx.streams[peer]!.nextLsn, []));
}

// ---------------------------------------------------------------------------------------------
// The WAL receiver (standby)

export function receiveWal(ctx: DatabaseContext, from: NodeId, msg: WalData): Step {
  return run(ctx, (c) => {
    if (msg.epoch < ctx.epoch) return refuseOlderEpoch(c, from);
    if (ctx.role === 'primary' || ctx.role === 'demoted') {
      if (msg.epoch > ctx.epoch || (ctx.role === 'demoted' && msg.epoch === ctx.epoch)) {
        follow(c, from, msg.epoch, `${from} is primary of epoch ${msg.epoch}; follows it`, msg.history);
      }
      return;
    }
    if (shouldFollowSender(ctx, from, msg)) {
      return follow(c, from, msg.epoch, `${from} is primary of epoch ${msg.epoch}; follows it`, msg.history);
    }
    if (from !== ctx.upstream) return;
    c.timer(TIMER.receiver, RECEIVER_TIMEOUT_MS);
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
  return ctx.upstream === null || !ctx.history.some((entry) => entry.epoch === msg.epoch);
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
  c.send(ctx.upstream, { type: 'WalAck', epoch: ctx.epoch, session: ctx.session, writeLsn: ctx.writeLsn, flushLsn: ctx.flushLsn, replayLsn: ctx.replayLsn });
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
    const reason =
      `${from} no longer keeps the WAL it needs (oldest ${formatLsn(msg.oldestLsn)}): copying a base backup of ` +
      `${kilobytes(msg.dataBytes)}, about ${(backupMs / 1000).toFixed(1)} s`;
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
    if (ctx.role === 'primary') stopWriting(c, `promoted again to epoch ${msg.epoch}`);
    promote(c, msg.epoch, false);
  });
}

export function promoteByOperator(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.role === 'rebuilding') return c.set({ reason: 'an operator asked for a promotion, refused: still being rebuilt' });
    if (ctx.role === 'primary') return;
    promote(c, ctx.epoch + 1, true);
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
    becomeDemoted(c, ctx.epoch, `lost touch with the orchestrators for ${ctx.settings.leaseMs} ms: its lease ran out, so it stopped taking writes`);
  });
}

export function answerHealthCheck(ctx: DatabaseContext, from: NodeId, msg: HealthCheck): Step {
  return run(ctx, (c) => {
    if (msg.lease === true && ctx.role === 'primary') {
      c.set({ leaseWaived: false });
      if (ctx.writable) c.timer(TIMER.lease, ctx.settings.leaseMs);
    }
    c.send(from, {
      type: 'HealthReply',
      seq: msg.seq,
      role: ctx.role,
      epoch: ctx.epoch,
      writable: ctx.writable,
      flushLsn: ctx.flushLsn,
      replayLsn: ctx.replayLsn,
    });
  });
}

export function carriesNewerEpoch(ctx: DatabaseContext, msg: DatabaseMessage): boolean {
  return 'epoch' in msg && msg.type !== 'Promote' && msg.epoch > ctx.epoch;
}

export function reportRole(ctx: DatabaseContext, role: DatabaseRole): Step {
  return { patch: {}, effects: [{ type: 'trace', event: { type: 'role', role, term: ctx.epoch, reason: ctx.reason } }] };
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
