/**
 * The primary's stream to one standby: WAL sent a batch at a time within the in-flight bound, a
 * "WAL gone" when the standby asks for what was recycled, and whether the standby still answers.
 */
import type { NodeId } from '../protocol';
import type { DatabaseContext, StandbyStream, WalData, WalRecord } from './types';
import { WAL_RECORD_BYTES, recordsAfter } from './wal';
import { SENDER_TIMEOUT_TICKS, MAX_RECORDS_PER_BATCH, MAX_BATCHES_IN_FLIGHT } from './constants';
import type { Change } from './change';

export function walData(ctx: DatabaseContext, session: number, fromLsn: number, records: readonly WalRecord[], extra: Partial<WalData> = {}): WalData {
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

export function setStream(c: Change, peer: NodeId, stream: StandbyStream | null): void {
  const streams = { ...c.ctx.streams };
  if (stream) streams[peer] = stream;
  else delete streams[peer];
  c.set({ streams });
}

/** Sends `peer` the flushed WAL it lacks, a batch at a time, within the in-flight limit. Returns whether anything went. */
export function streamTo(c: Change, peer: NodeId): boolean {
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

export function walGone(c: Change, peer: NodeId, empty = false): void {
  const { ctx } = c;
  setStream(c, peer, null);
  c.send(peer, empty ? { type: 'WalGone', epoch: ctx.epoch, oldestLsn: ctx.walStartLsn, dataBytes: ctx.flushLsn, empty } : { type: 'WalGone', epoch: ctx.epoch, oldestLsn: ctx.walStartLsn, dataBytes: ctx.flushLsn });
}

/** The standby still answers its stream: it acknowledged something within the sender timeout. */
export function connected(stream: StandbyStream | undefined): stream is StandbyStream {
  return stream !== undefined && stream.state !== 'stopped' && stream.quietTicks < SENDER_TIMEOUT_TICKS;
}
