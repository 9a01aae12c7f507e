/**
 * Witness mode's standing duties, started and stopped as the role changes: a primary renews its
 * lease with the witness (asking for a degraded one when no synchronous standby answers), a
 * standby health-checks its primary. What the answers do is in witness-mode.ts.
 */
import type { DatabaseContext, WitnessSide } from './types';
import { WITNESS_ID, type LeaseRenew, type LockRequest } from '../witness/types';
import { TIMER, SENDER_TIMEOUT_TICKS } from './constants';
import type { Change } from './change';
import { syncStandbysOf, witnessMode } from './rules';
import { connected } from './wal-stream';

export function setWitness(c: Change, patch: Partial<WitnessSide>): void {
  c.set({ witness: { ...c.ctx.witness, ...patch } });
}

/** Sends the witness a renewal or a lock request and waits `timeoutMs` for its answer; a later one is ignored. */
export function askWitness(c: Change, build: (seq: number) => LeaseRenew | LockRequest): void {
  const seq = c.ctx.witness.seq + 1;
  setWitness(c, { seq, awaiting: seq });
  c.send(WITNESS_ID, build(seq));
  c.timer(TIMER.witnessWait, c.ctx.settings.healthCheck.timeoutMs);
}

/** With quorum off the witness is ignored: nobody renews, and a standby takes over alone. */
export function renewsWithWitness(ctx: DatabaseContext): boolean {
  return witnessMode(ctx.topology) && ctx.settings.quorum;
}

export function startRenewing(c: Change): void {
  if (renewsWithWitness(c.ctx)) sendRenewal(c);
}

export function stopRenewing(c: Change): void {
  if (!witnessMode(c.ctx.topology)) return;
  c.cancel(TIMER.witnessRenew);
  c.cancel(TIMER.witnessWait);
  if (c.ctx.witness.awaiting !== 0) setWitness(c, { awaiting: 0 });
}

export function sendRenewal(c: Change): void {
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

export function startChecking(c: Change): void {
  if (witnessMode(c.ctx.topology)) c.timer(TIMER.peerCheck, c.ctx.settings.healthCheck.intervalMs);
}

export function stopChecking(c: Change): void {
  if (!witnessMode(c.ctx.topology)) return;
  c.cancel(TIMER.peerCheck);
  c.cancel(TIMER.peerWait);
  setWitness(c, { checkAwaiting: 0, failures: 0, takeover: null, said: null, peerStopped: false, peerBackAt: null, deferTo: null, peerEmpty: false });
}
