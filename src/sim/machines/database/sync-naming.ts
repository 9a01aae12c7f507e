/**
 * The synchronous standby, where the agents decide failovers (Patroni's synchronous_mode): which
 * standby the primary names, when the naming changes or is cleared (durability degraded), and
 * which synchronous standbys the writes wait for.
 */
import type { NodeId } from '../protocol';
import type { DatabaseContext, WalData } from './types';
import { SENDER_TIMEOUT_TICKS } from './constants';
import type { Change } from './change';
import { modeOf, syncStandbysOf, witnessMode, reselectsSync, namesSync } from './rules';
import { walData, connected } from './wal-stream';
import { settleWrites } from './writes';
import { setWitness, renewsWithWitness } from './witness-duties';

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

/**
 * A primary with nobody named or chosen takes the first standby the topology marks synchronous as
 * soon as it connects (as PostgreSQL's synchronous_standby_names would); any other choice waits
 * for a lease renewal.
 */
export function chooseFirst(c: Change, announce: boolean): void {
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
export function chooseAtRenewal(c: Change): void {
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
export function agreeNaming(c: Change, gen: number): void {
  c.set({ syncAgreed: gen });
  if (c.ctx.sync !== null && gen >= c.ctx.sync.gen && c.ctx.syncFormers.length > 0) c.set({ syncFormers: [] });
  showSync(c);
  settleWrites(c);
}

/** Names the chosen standby once it holds every acknowledged write; the one named before becomes a former. */
export function publishNext(c: Change, announce: boolean): void {
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
export function forgetFormers(c: Change): void {
  const { ctx } = c;
  if (ctx.sync === null || ctx.syncFormers.length === 0) return;
  const gen = ctx.sync.gen;
  const left = ctx.syncFormers.filter((f) => (ctx.streams[f]?.knownGen ?? 0) < gen);
  if (left.length !== ctx.syncFormers.length) c.set({ syncFormers: left });
}

/** A standby keeps the latest naming its primary sent (its own epoch's only). */
export function learnNaming(c: Change, msg: WalData): void {
  const heard = msg.epoch === c.ctx.epoch ? (msg.sync ?? null) : null;
  const held = c.ctx.sync;
  if (heard?.standby !== held?.standby || heard?.gen !== held?.gen || heard?.epoch !== held?.epoch) c.set({ sync: heard });
}

/** The number of the latest naming this standby heard of in its epoch (0: none). */
export function heardGen(ctx: DatabaseContext): number {
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
export function showSync(c: Change): void {
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
export function reviewFixedSync(c: Change): void {
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
