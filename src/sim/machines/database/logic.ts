/**
 * The database node's rules as plain functions: PostgreSQL streaming replication with
 * `synchronous_commit = on` for synchronous standbys, `wal_keep_size` retention, timelines
 * (epochs) with pg_rewind, Patroni's lease and its synchronous_mode (where failover agents read which
 * standby is synchronous), and, with a witness instead of orchestrators, a standby that fails over
 * with the witness's vote. Each step takes the context and an input and returns the fields that
 * change and the effects to emit. A step may change `role`; the machine (machine.ts) then moves to
 * the state of that name.
 *
 * This file is the door: it gathers the steps and rules the machine, the program and the rest of
 * the core use. Each idea lives in its own file beside it: boot.ts (the start), roles.ts (role
 * changes), writes.ts (client writes), wal-stream.ts and wal-sender.ts (the primary's side of
 * replication), sync-naming.ts (the synchronous standby, degraded durability), wal-receiver.ts
 * (the standby's side), rebuild.ts (pg_rewind and base backups), commands.ts (promotion, demotion,
 * the lease, health checks), switchover.ts (a switchover without orchestrators), witness-duties.ts
 * and witness-mode.ts (witness mode), backups.ts (scheduled backups); rules.ts, constants.ts and
 * change.ts hold what they all share.
 *
 * One deliberate impurity, as in Raft's log: `wal` and `pending` are changed in place.
 */
export {
  FIRST_PRIMARY,
  TIMER,
  SENDER_TICK_MS,
  KEEPALIVE_EVERY_TICKS,
  SENDER_TIMEOUT_TICKS,
  RESEND_AFTER_TICKS,
  RECEIVER_TIMEOUT_MS,
  MAX_RECORDS_PER_BATCH,
  MAX_BATCHES_IN_FLIGHT,
  MAX_PENDING_WRITES,
} from './constants';
export type { Step } from './change';
export {
  originalOf,
  modeOf,
  syncStandbysOf,
  agentsDecide,
  witnessMode,
  reselectsSync,
  leaseApplies,
  firstLeaseMs,
  witnessLeaseMs,
  lagBytesOf,
} from './rules';
export { refusalOf, refuseWrite, acceptWrite, flushPrimary, committableLsn } from './writes';
export { syncChoice, isSynchronous, syncStandbyOf } from './sync-naming';
export { backupSchedule, backupTick, shipBackup } from './backups';
export { walGoneReceived, baseBackupCopied } from './rebuild';
export { switchoverByOperator, handoverTimer } from './switchover';
export { answerStreamStart, handleAck, senderTick } from './wal-sender';
export { receiveWal, flushStandby, receiverTimeout, redirectStreamStart } from './wal-receiver';
export {
  promoteByMessage,
  lacks,
  promoteByOperator,
  drainReceived,
  demoteReceived,
  learnNewerEpoch,
  leaseExpired,
  answerHealthCheck,
  carriesNewerEpoch,
  reportRole,
} from './commands';
export { initialContext, diskOf, boot } from './boot';
export { renewTick, witnessReplied, witnessTimedOut, peerCheckTick, peerCheckTimedOut, peerReplied, fenceResult } from './witness-mode';
