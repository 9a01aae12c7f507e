/**
 * A database node's start: its context from what is on disk (or a fresh one), what it keeps on
 * disk, and its first steps in the role it boots into.
 */
import type { ProgramInput } from '../program';
import type { DatabaseContext, DatabaseDisk, TimelineEntry, WitnessSide } from './types';
import { WITNESS_ID } from '../witness/types';
import { FIRST_PRIMARY } from './constants';
import { type Step, type Change, run } from './change';
import { witnessMode, firstLeaseMs } from './rules';
import { startChecking, setWitness } from './witness-duties';
import { startRebuild, askToStream } from './rebuild';
import { becomePrimary } from './roles';
import { healthReply } from './commands';
import { initialNodes } from '../../scenario/nodes';
import { ANNOUNCEMENT_SEQ } from './types';

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

const NO_WITNESS: WitnessSide = { seq: 0, awaiting: 0, checkAwaiting: 0, failures: 0, takeover: null, said: null, peerStopped: false, renewingDegraded: false, degradedGranted: false, peerBackAt: null, deferTo: null, dataLost: false, peerEmpty: false };

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
    announceToOrchestrators(c);
    // Witness mode: a node back with an empty data directory tells the witness its data is gone,
    // and again at every check interval until it holds data (see `peerCheckTick`).
    if (witnessMode(ctx.topology) && !ctx.freshBoot && ctx.history.length === 0) {
      setWitness(c, { dataLost: true });
      c.send(WITNESS_ID, { type: 'DataLost' });
    }
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

/**
 * Raft orchestrators, quorum on: a former primary that restarted tells the orchestrators' agents at
 * once that it is back demoted and takes no writes (an unasked health reply, numbered 0), without
 * waiting for their next check. An agent failing it over at that very moment then knows there is
 * nothing to power off. Sent to the orchestrators the topology starts with (a replacement learns of
 * it from its next check).
 */
function announceToOrchestrators(c: Change): void {
  const { ctx } = c;
  if (witnessMode(ctx.topology) || ctx.topology.election !== 'raft' || !ctx.settings.quorum || ctx.role !== 'demoted' || ctx.writable) return;
  for (const node of initialNodes(ctx.topology)) if (node.kind === 'orchestrator') c.send(node.id, healthReply(ctx, ANNOUNCEMENT_SEQ));
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
