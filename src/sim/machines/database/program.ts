/** The replicated database as a program the kernel can host on db-1, db-2, … */
import type { SnapshotFrom } from 'xstate';
import type { NodeProgram } from '../program';
import type { Message, MessageLook, NodeView, ReplicationRow } from '../protocol';
import { databaseMachine, type DatabaseMachine } from './machine';
import { diskOf, lagBytesOf, modeOf, reselectsSync, syncStandbyOf, witnessMode } from './logic';
import type { DatabaseContext, DatabaseDisk, DatabaseMessage } from './types';
import { formatLsn } from './wal';

type DatabaseSnapshot = SnapshotFrom<DatabaseMachine>;

/** In words, for the page: whether acknowledged writes wait for a synchronous standby. */
function durabilityOf(standbys: readonly string[]): string {
  return standbys.length === 0 ? 'degraded: writes acknowledged without a synchronous standby' : `synchronous: writes wait for ${standbys.join(', ')}`;
}

export function replicationRows(ctx: DatabaseContext): ReplicationRow[] {
  if (ctx.role !== 'primary') return [];
  const rows: ReplicationRow[] = [];
  for (const standby of ctx.peers) {
    const stream = ctx.streams[standby];
    if (!stream) continue;
    rows.push({
      standby,
      // Where the primary names its synchronous standby, pg_stat_replication's sync_state: sync for the named one only.
      mode: reselectsSync(ctx.topology) ? (ctx.sync?.standby === standby ? 'sync' : 'async') : modeOf(ctx.topology, standby, ctx.id, ctx.replaced),
      state: stream.state,
      sentLsn: stream.sentLsn,
      writeLsn: stream.writeLsn,
      flushLsn: stream.flushLsn,
      replayLsn: stream.replayLsn,
      lagBytes: Math.max(0, ctx.flushLsn - stream.replayLsn),
    });
  }
  return rows;
}

function view(snapshot: DatabaseSnapshot): NodeView {
  const ctx = snapshot.context;
  return {
    role: ctx.role,
    term: ctx.epoch,
    detail: {
      status: ctx.reason,
      lsn: formatLsn(ctx.writeLsn),
      flushLsn: formatLsn(ctx.flushLsn),
      replayLsn: formatLsn(ctx.replayLsn),
      epoch: ctx.epoch,
      upstream: ctx.upstream,
      writable: ctx.writable,
      lagBytes: lagBytesOf(ctx),
      ...(ctx.role === 'primary' ? { syncStandby: syncStandbyOf(ctx) } : {}),
      // The synchronous standbys acknowledged writes wait for, as the latest `sync` event said; [] = durability degraded.
      ...(ctx.role === 'primary' && ctx.syncShown !== null ? { syncStandbys: ctx.syncShown.join(', '), durability: durabilityOf(ctx.syncShown) } : {}),
      ...(witnessMode(ctx.topology) && ctx.role === 'standby' ? { failedChecks: ctx.witness.failures } : {}),
    },
    replication: replicationRows(ctx),
  };
}

function look(message: Message): MessageLook {
  const msg = message as DatabaseMessage;
  switch (msg.type) {
    case 'WalData': {
      const last = msg.records[msg.records.length - 1];
      if (last) return { family: 'wal', label: `WAL →${formatLsn(last.lsn)}` };
      return { family: 'wal', label: msg.baseBackup ? `base backup ${formatLsn(msg.fromLsn)}` : `keepalive e${msg.epoch}` };
    }
    case 'WalAck':
      return { family: 'wal-ack', label: `flushed ${formatLsn(msg.flushLsn)}` };
    case 'HealthCheck':
      return { family: 'health-check', label: msg.lease ? `check #${msg.seq} + lease` : `check #${msg.seq}` };
    case 'HealthReply':
      return { family: 'health-reply', label: `${msg.role} e${msg.epoch} ${formatLsn(msg.flushLsn)}` };
    case 'Promote':
      return { family: 'command', label: `promote e${msg.epoch}` };
    case 'Demote':
      return { family: 'command', label: msg.primary ? `follow ${msg.primary} e${msg.epoch}` : `step down e${msg.epoch}` };
    case 'StreamStart':
      return { family: 'command', label: msg.afterBaseBackup ? 'stream after backup' : `stream from ${formatLsn(msg.fromLsn)}` };
    case 'WalGone':
      return { family: 'command', label: `WAL gone before ${formatLsn(msg.oldestLsn)}` };
    case 'BackupData':
      return { family: 'wal', label: `${msg.kind} backup →${formatLsn(msg.upToLsn)}` };
    case 'LeaseRenew':
      return { family: 'health-check', label: `lease e${msg.epoch}` };
    case 'LockRequest':
      return { family: 'command', label: `lock for e${msg.epoch}?` };
    default:
      return { family: 'other', label: message.type };
  }
}

export const databaseProgram: NodeProgram<DatabaseMachine, DatabaseDisk> = {
  kind: 'database',
  machine: databaseMachine,
  diskOf: (snapshot) => diskOf(snapshot.context),
  view,
  facts: ({ context }) => ({ service: { writable: context.writable, epoch: context.epoch, upstream: context.upstream } }),
  look,
};
