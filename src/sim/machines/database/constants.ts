/**
 * The database node's fixed numbers: the first primary, the names of its timers, the WAL
 * sender's and receiver's timeouts (PostgreSQL's, scaled down), and the bounds on what is in flight.
 */

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
