/**
 * Raft's rules (the paper's Figure 2, plus the dissertation's no-op, PreVote and CheckQuorum) as
 * plain functions over plain data. No XState here: each "step" takes the context and an input
 * and returns the context fields that change and the effects to emit; the machine (machine.ts)
 * only decides which step runs in which role.
 *
 * One deliberate impurity: steps that change the log append to or truncate `disk.log` in place
 * (see `RaftDisk`), so that the common case, appending one entry, does not copy the whole log.
 */
import type { LogEntryView, NodeId, NodeTrace } from '../protocol';
import type { ProgramInput } from '../program';
import type { Step as MachineStep } from '../step';
import {
  applyChange,
  changesMembers,
  configurationOf,
  initialMembers,
  isConfigCommand,
  majorityOf,
  parseConfigChange,
  readConfigEntries,
  type Configuration,
} from './membership';
import { entriesBetween, entryAt, lastIndex, replaceLogFrom, snapshotIndex, termAt } from './log';
import { acceptInstallSnapshot, compactIfDue, installSnapshotMessage } from './snapshot';
import {
  NO_OP,
  type AppendEntries,
  type AppendEntriesReply,
  type LogEntry,
  type RaftContext,
  type RaftDisk,
  type RaftEffect,
  type InstallSnapshot,
  type RaftMessage,
  type RequestVote,
  type RequestVoteReply,
} from './types';

/** At most this many entries travel in one AppendEntries, so a far-behind follower catches up in batches. */
export const MAX_ENTRIES_PER_APPEND = 64;

export const TIMER = {
  election: 'election',
  heartbeat: 'heartbeat',
  /** Fires electionTimeoutMs[0] after the last word from the leader: the follower's lease has run out. */
  lease: 'leader-lease',
  /** Every electionTimeoutMs[0] the leader checks that a majority answered it meanwhile. */
  checkQuorum: 'check-quorum',
} as const;

/** What one step changes: some context fields, and the effects to emit in order (machines/step.ts). */
export type Step = MachineStep<RaftContext, RaftMessage>;

// ---------------------------------------------------------------------------------------------
// Small rules

export { majorityOf, termAt };

export function clusterSizeOf(ctx: RaftContext): number {
  return ctx.members.length;
}

/** Whether this node belongs to its own current configuration (a new or removed node does not). */
export function isMember(ctx: RaftContext): boolean {
  return ctx.members.includes(ctx.id);
}

/** How many of `nodes` belong to `members`. */
function countMembers(members: readonly NodeId[], nodes: readonly NodeId[]): number {
  let count = 0;
  for (const node of nodes) if (members.includes(node)) count++;
  return count;
}

/**
 * Dissertation §4.2.3, our simplification: a node drops a RequestVote (or PreVote) from a node
 * outside its current configuration whose log is behind its own, term and all. A removed server
 * never hears of its removal (the leader stops sending to it at once), so its log lacks that
 * entry and its elections cannot raise everybody's term. (The dissertation instead drops any
 * vote request that arrives within an election timeout of hearing from a leader; we have no
 * clock in the machine for that, and doing it for members too would change every Raft lesson.)
 * A request with an up-to-date log is heard: it is one we could grant, and the node may be
 * needed, for instance a leader whose own removal it must still commit (§4.2.2), or a new member
 * whose addition has not reached us. Dropping only requests that Figure 2 refuses anyway keeps
 * every election that plain Raft could win; it costs only the term adoption.
 */
export function isVoteRequestFromStaleNonMember(ctx: RaftContext, from: NodeId, msg: RaftMessage): boolean {
  return msg.type === 'RequestVote' && !ctx.members.includes(from) && !isAtLeastAsUpToDate(ctx.disk, msg.lastLogIndex, msg.lastLogTerm);
}

/** §5.4.1: a log is at least as up to date as ours if its last term is higher, or equal with an index at least ours. */
export function isAtLeastAsUpToDate(ours: RaftDisk, lastLogIndex: number, lastLogTerm: number): boolean {
  const ourLast = lastIndex(ours);
  const ourLastTerm = termAt(ours, ourLast);
  return lastLogTerm > ourLastTerm || (lastLogTerm === ourLastTerm && lastLogIndex >= ourLast);
}

/** Figure 2: one vote per term, only for a candidate whose log is at least as up to date. */
export function shouldGrantVote(disk: RaftDisk, candidate: NodeId, req: RequestVote): boolean {
  if (req.term !== disk.currentTerm) return false;
  if (disk.votedFor !== null && disk.votedFor !== candidate) return false;
  return isAtLeastAsUpToDate(disk, req.lastLogIndex, req.lastLogTerm);
}

/** PreVote: the asker would win our vote in the next term, and we have no live leader to lose. */
export function shouldGrantPreVote(ctx: RaftContext, req: RequestVote): boolean {
  return req.term > ctx.disk.currentTerm && !ctx.leaseActive && isAtLeastAsUpToDate(ctx.disk, req.lastLogIndex, req.lastLogTerm);
}

/** Whether this node watches its leader's lease at all (only PreVote and CheckQuorum need it). */
export function usesLease(ctx: RaftContext): boolean {
  return ctx.settings.preVote || ctx.settings.checkQuorum;
}

/**
 * CheckQuorum's other half (etcd's lease): while a live leader is heard from, a RequestVote of
 * a higher term from anybody else is dropped, term and all, so a rejoining node cannot depose
 * a healthy leader.
 */
export function isVoteRequestInsideLease(ctx: RaftContext, from: NodeId, msg: RaftMessage): boolean {
  return (
    ctx.settings.checkQuorum &&
    msg.type === 'RequestVote' &&
    !msg.preVote &&
    msg.term > ctx.disk.currentTerm &&
    ctx.leaseActive &&
    from !== ctx.leader
  );
}

/** Figure 2's "term T > currentTerm: adopt it". A PreVote request only proposes a term, so it does not count. */
export function carriesHigherTerm(ctx: RaftContext, msg: RaftMessage): boolean {
  if (msg.type === 'RequestVote' && msg.preVote) return false;
  return msg.term > ctx.disk.currentTerm;
}

export type AppendCheck =
  | { readonly ok: false; readonly conflictIndex: number; readonly conflictTerm: number | null }
  /** `changeAt` is where the log must be rewritten with `msg.entries` from `entryOffset` on (null: nothing new). */
  | { readonly ok: true; readonly changeAt: number | null; readonly entryOffset: number; readonly lastNewIndex: number };

/**
 * The follower's consistency check. Entries that are already there with the same term are kept:
 * only a real conflict (same index, other term) truncates, so a duplicated or late message is harmless.
 * Entries up to the follower's snapshot are committed, so they match the leader's: they are skipped.
 */
export function checkAppend(disk: RaftDisk, msg: AppendEntries): AppendCheck {
  const prev = msg.prevLogIndex;
  const last = lastIndex(disk);
  const base = snapshotIndex(disk);
  if (prev > last) return { ok: false, conflictIndex: last + 1, conflictTerm: null };
  const ourPrevTerm = termAt(disk, prev);
  if (prev >= base && ourPrevTerm !== msg.prevLogTerm) {
    return { ok: false, conflictIndex: firstIndexOfTerm(disk, prev, ourPrevTerm), conflictTerm: ourPrevTerm };
  }
  const lastNewIndex = prev + msg.entries.length;
  for (let k = Math.max(0, base - prev); k < msg.entries.length; k++) {
    const index = prev + 1 + k;
    if (index > last || entryAt(disk, index).term !== msg.entries[k]!.term) {
      return { ok: true, changeAt: index, entryOffset: k, lastNewIndex };
    }
  }
  return { ok: true, changeAt: null, entryOffset: msg.entries.length, lastNewIndex };
}

/** The first index of the run of `term` that ends at `index` (the fast back-off hint), not below the first after the snapshot. */
function firstIndexOfTerm(disk: RaftDisk, index: number, term: number): number {
  const first = snapshotIndex(disk) + 1;
  let at = index;
  while (at > first && termAt(disk, at - 1) === term) at--;
  return Math.max(at, first);
}

/**
 * Where the leader tries next after a refusal: past its own last entry of the follower's
 * conflicting term if it has that term, else at the follower's hint. Never at or below what the
 * follower is known to hold, and never forward (a late refusal must not skip entries).
 */
export function nextIndexAfterRefusal(disk: RaftDisk, reply: AppendEntriesReply, nextIndex: number, matchIndex: number): number {
  let hint = reply.conflictIndex;
  if (reply.conflictTerm !== null) {
    const last = lastIndexOfTerm(disk, Math.min(nextIndex - 1, lastIndex(disk)), reply.conflictTerm);
    if (last > 0) hint = last + 1;
  }
  return Math.max(matchIndex + 1, Math.min(nextIndex, hint));
}

function lastIndexOfTerm(disk: RaftDisk, from: number, term: number): number {
  for (let index = from; index > snapshotIndex(disk); index--) {
    const entryTerm = entryAt(disk, index).term;
    if (entryTerm === term) return index;
    if (entryTerm < term) return 0;
  }
  return 0;
}

/**
 * §5.4.2 and Figure 8: the highest index held by a majority, but only if that entry is of the
 * leader's own term; an older entry is committed only indirectly, by a later one of this term.
 */
export function leaderCommitIndex(
  disk: RaftDisk,
  currentTerm: number,
  commitIndex: number,
  matchIndexes: readonly number[],
  leaderIsMember = true,
): number {
  const candidate = majorityHeld(matchIndexes, lastIndex(disk), leaderIsMember);
  return candidate > commitIndex && termAt(disk, candidate) === currentTerm ? candidate : commitIndex;
}

/**
 * The highest index that a majority holds, counting the leader's own `leaderLength` unless the
 * leader has removed itself from the configuration (dissertation §4.2.2: it then manages a
 * cluster it is not part of): the majority-th largest of all. Counted rather than sorted, since
 * it runs on every reply and a cluster has only a handful of members.
 */
function majorityHeld(matchIndexes: readonly number[], leaderLength: number, leaderIsMember: boolean): number {
  const needed = majorityOf(matchIndexes.length + (leaderIsMember ? 1 : 0));
  let best = 0;
  for (let i = leaderIsMember ? -1 : 0; i < matchIndexes.length; i++) {
    const value = i < 0 ? leaderLength : matchIndexes[i]!;
    if (value <= best) continue;
    let holders = leaderIsMember && leaderLength >= value ? 1 : 0;
    for (const other of matchIndexes) if (other >= value) holders++;
    if (holders >= needed) best = value;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Effects and shared pieces of steps

function send(to: NodeId, msg: RaftMessage): RaftEffect {
  return { type: 'send', to, msg };
}

function trace(event: NodeTrace): RaftEffect {
  return { type: 'trace', event };
}

function electionTimer(ctx: RaftContext): RaftEffect {
  const [minMs, maxMs] = ctx.settings.electionTimeoutMs;
  return { type: 'set-random-timer', name: TIMER.election, minMs, maxMs };
}

function logTrace(index: number, entries: readonly LogEntryView[]): RaftEffect {
  return trace({ type: 'log', index, entries });
}

/**
 * Moves the commit index to `newCommit` (if higher) and applies everything up to it, in order;
 * then compacts the log into a snapshot if enough entries were applied since the last one.
 */
function commitAndApply(ctx: RaftContext, newCommit: number, effects: RaftEffect[]): Partial<RaftContext> | null {
  if (newCommit <= ctx.commitIndex) return null;
  const disk = ctx.disk;
  effects.push(trace({ type: 'commit', index: newCommit, term: termAt(disk, newCommit) }));
  for (let index = ctx.lastApplied + 1; index <= newCommit; index++) {
    const entry = entryAt(disk, index);
    effects.push(trace({ type: 'apply', index, term: entry.term, cmd: entry.cmd }));
  }
  const applied = { commitIndex: newCommit, lastApplied: newCommit };
  const compacted = compactIfDue(ctx, newCommit, effects);
  return compacted === null ? applied : { ...applied, disk: compacted };
}

/**
 * What `peer` gets from `nextIndex` on: the AppendEntries, or the snapshot when the entries it
 * needs are compacted away; and where its next one will start.
 */
function appendFrom(ctx: RaftContext, nextIndex: number): { msg: AppendEntries | InstallSnapshot; after: number } {
  const disk = ctx.disk;
  const last = lastIndex(disk);
  const prev = Math.min(nextIndex, last + 1) - 1;
  if (prev < snapshotIndex(disk)) return { msg: installSnapshotMessage(ctx), after: snapshotIndex(disk) + 1 };
  const entries = entriesBetween(disk, prev + 1, Math.min(last, prev + MAX_ENTRIES_PER_APPEND) + 1);
  const msg: AppendEntries = {
    type: 'AppendEntries',
    term: disk.currentTerm,
    prevLogIndex: prev,
    prevLogTerm: termAt(disk, prev),
    entries,
    leaderCommit: ctx.commitIndex,
  };
  return { msg, after: prev + 1 + entries.length };
}

/**
 * Sends each peer in `peers` what it lacks from its nextIndex on, and moves its nextIndex past
 * what was sent (optimistically, as etcd's pipelined replication does; a refusal moves it back).
 */
function sendAppends(
  ctx: RaftContext,
  peers: readonly NodeId[],
  effects: RaftEffect[],
  nextIndexNow: Readonly<Record<NodeId, number>> = ctx.nextIndex,
): Readonly<Record<NodeId, number>> {
  // Copied only once an index moves: a heartbeat round moves none, and the step then changes no field.
  let nextIndex: Record<NodeId, number> | null = null;
  for (const peer of peers) {
    const { msg, after } = appendFrom(ctx, (nextIndex ?? nextIndexNow)[peer] ?? lastIndex(ctx.disk) + 1);
    effects.push(send(peer, msg));
    if (nextIndexNow[peer] !== after) (nextIndex ??= { ...nextIndexNow })[peer] = after;
  }
  return nextIndex ?? nextIndexNow;
}

function matchIndexesOf(ctx: RaftContext, matchIndex: Readonly<Record<NodeId, number>>): number[] {
  return ctx.peers.map((peer) => matchIndex[peer] ?? 0);
}

/** The highest index a majority of the current configuration holds, for the leader `ctx`. */
function commitIndexFor(ctx: RaftContext, matchIndex: Readonly<Record<NodeId, number>>): number {
  return leaderCommitIndex(ctx.disk, ctx.disk.currentTerm, ctx.commitIndex, matchIndexesOf(ctx, matchIndex), isMember(ctx));
}

function configFields(id: NodeId, config: Configuration): Pick<RaftContext, 'members' | 'configIndex' | 'peers'> {
  return { members: config.members, configIndex: config.index, peers: config.members.filter((member) => member !== id) };
}

/**
 * The configuration fields after the log changed from `fromIndex` on (the new entries already
 * in it); empty when the configuration stayed. A truncation that took the latest config entry
 * away reads the whole log again (rare: only a conflicting uncommitted config entry does it).
 */
function configAfterLogChange(ctx: RaftContext, fromIndex: number): Partial<RaftContext> {
  const disk = ctx.disk;
  const config = ctx.configIndex >= fromIndex
    ? configurationOf(ctx.firstMembers, disk.log, disk.snapshot ?? null)
    : readConfigEntries({ members: ctx.members, index: ctx.configIndex }, disk.log, fromIndex, snapshotIndex(disk));
  if (config.index === ctx.configIndex && config.members === ctx.members) return {};
  return configFields(ctx.id, config);
}

// ---------------------------------------------------------------------------------------------
// Steps

export function initialContext(input: ProgramInput<RaftDisk>): RaftContext {
  const saved = input.disk;
  const disk: RaftDisk = saved
    ? { currentTerm: saved.currentTerm, votedFor: saved.votedFor, log: saved.log.slice(), ...(saved.snapshot ? { snapshot: saved.snapshot } : {}) }
    : { currentTerm: 0, votedFor: null, log: [] };
  // A snapshot holds committed entries only: they are committed and applied from the start.
  const restored = snapshotIndex(disk);
  // The kernel's `input.peers` are the topology's other orchestrators too; a brand-new node gets
  // none. Either way the configuration is read from the topology and the log, like any member's.
  const firstMembers = initialMembers(input.topology);
  return {
    id: input.id,
    ...configFields(input.id, configurationOf(firstMembers, disk.log, disk.snapshot ?? null)),
    firstMembers,
    settings: input.settings,
    disk,
    commitIndex: restored,
    lastApplied: restored,
    restoreAtBoot: restored > 0,
    leader: null,
    leaseActive: false,
    votes: [],
    nextIndex: {},
    matchIndex: {},
    heardFrom: [],
    roleReason: input.disk ? 'restarted from disk' : 'started',
  };
}

export function reportRole(ctx: RaftContext, role: string): Step {
  return { patch: {}, effects: [trace({ type: 'role', role, term: ctx.disk.currentTerm, reason: ctx.roleReason })] };
}

export function armElectionTimer(ctx: RaftContext): Step {
  return { patch: {}, effects: [electionTimer(ctx)] };
}

/** Figure 2: adopt the higher term, forget the vote and the leader; the caller then becomes follower. */
export function adoptHigherTerm(ctx: RaftContext, from: NodeId, msg: RaftMessage): Step {
  return {
    patch: {
      disk: { ...ctx.disk, currentTerm: msg.term, votedFor: null },
      leader: null,
      leaseActive: false,
      roleReason: `saw higher term ${msg.term} from ${from}`,
    },
    effects: [],
  };
}

function campaignStart(ctx: RaftContext, term: number, preVote: boolean): RaftEffect[] {
  const last = lastIndex(ctx.disk);
  const request: RequestVote = { type: 'RequestVote', term, lastLogIndex: last, lastLogTerm: termAt(ctx.disk, last), preVote };
  const effects: RaftEffect[] = ctx.peers.map((peer) => send(peer, request));
  effects.push(electionTimer(ctx));
  if (usesLease(ctx)) effects.push({ type: 'cancel-timer', name: TIMER.lease });
  return effects;
}

/** PreVote: ask whether we could win at term + 1, without changing our term or anyone's. */
export function startPreVote(ctx: RaftContext): Step {
  return {
    patch: { votes: [ctx.id], leader: null, leaseActive: false },
    effects: campaignStart(ctx, ctx.disk.currentTerm + 1, true),
  };
}

/** Figure 2, candidates: increment the term, vote for ourselves (on disk), ask everyone. */
export function startElection(ctx: RaftContext): Step {
  const term = ctx.disk.currentTerm + 1;
  const next = { ...ctx, disk: { ...ctx.disk, currentTerm: term, votedFor: ctx.id } };
  const effects = [trace({ type: 'vote', term, for: ctx.id }), ...campaignStart(next, term, false)];
  return { patch: { disk: next.disk, votes: [ctx.id], leader: null, leaseActive: false }, effects };
}

export function answerVoteRequest(ctx: RaftContext, from: NodeId, req: RequestVote): Step {
  const term = ctx.disk.currentTerm;
  if (req.preVote) {
    const granted = shouldGrantPreVote(ctx, req);
    return { patch: {}, effects: [send(from, { type: 'RequestVoteReply', term, granted, preVote: true, requestTerm: req.term })] };
  }
  const granted = shouldGrantVote(ctx.disk, from, req);
  const reply = send(from, { type: 'RequestVoteReply', term, granted, preVote: false, requestTerm: req.term });
  if (!granted) return { patch: {}, effects: [reply] };
  const voteIsNew = ctx.disk.votedFor !== from;
  return {
    patch: voteIsNew ? { disk: { ...ctx.disk, votedFor: from } } : {},
    effects: [...(voteIsNew ? [trace({ type: 'vote', term, for: from })] : []), electionTimer(ctx), reply],
  };
}

/** Counts a granted vote (or PreVote) for the round under way; a late answer to an older round is ignored. */
export function countVote(ctx: RaftContext, from: NodeId, reply: RequestVoteReply, preVoteRound: boolean): Step {
  const roundTerm = ctx.disk.currentTerm + (preVoteRound ? 1 : 0);
  const counts = reply.granted && reply.preVote === preVoteRound && reply.requestTerm === roundTerm;
  if (!counts || ctx.votes.includes(from) || !ctx.peers.includes(from)) return { patch: {}, effects: [] };
  return { patch: { votes: [...ctx.votes, from] }, effects: [] };
}

/** A majority of the current configuration granted its vote (only members' votes are counted). */
export function hasVoteMajority(ctx: RaftContext): boolean {
  return countMembers(ctx.members, ctx.votes) >= majorityOf(clusterSizeOf(ctx));
}

/** Figure 2: a message from a stale leader is refused with our term, which tells it to step down. */
export function refuseStaleAppend(ctx: RaftContext, from: NodeId): Step {
  const reply: AppendEntriesReply = {
    type: 'AppendEntriesReply',
    term: ctx.disk.currentTerm,
    success: false,
    matchIndex: 0,
    conflictIndex: 0,
    conflictTerm: null,
  };
  return { patch: {}, effects: [send(from, reply)] };
}

/** A follower takes an AppendEntries of its own term: the consistency check, then the log, the commit index, the reply. */
export function acceptAppend(ctx: RaftContext, from: NodeId, msg: AppendEntries): Step {
  if (msg.term < ctx.disk.currentTerm) return refuseStaleAppend(ctx, from);
  const term = ctx.disk.currentTerm;
  const { patch: heardLeader, effects } = heardFromLeader(ctx, from);
  const check = checkAppend(ctx.disk, msg);
  if (!check.ok) {
    const { conflictIndex, conflictTerm } = check;
    effects.push(send(from, { type: 'AppendEntriesReply', term, success: false, matchIndex: 0, conflictIndex, conflictTerm }));
    return { patch: heardLeader, effects };
  }
  let patch = heardLeader;
  if (check.changeAt !== null) {
    const suffix = msg.entries.slice(check.entryOffset);
    replaceLogFrom(ctx.disk, check.changeAt, suffix);
    effects.push(logTrace(check.changeAt, suffix));
    patch = { ...patch, ...configAfterLogChange(ctx, check.changeAt) };
  }
  const committed = commitAndApply(ctx, Math.min(msg.leaderCommit, check.lastNewIndex), effects);
  const matchIndex = check.lastNewIndex;
  effects.push(send(from, { type: 'AppendEntriesReply', term, success: true, matchIndex, conflictIndex: 0, conflictTerm: null }));
  return { patch: committed ? { ...patch, ...committed } : patch, effects };
}

/** A message of its leader's, of its own term: the election timer again, the lease renewed, the leader noted. */
function heardFromLeader(ctx: RaftContext, from: NodeId): { patch: Partial<RaftContext>; effects: RaftEffect[] } {
  const effects: RaftEffect[] = [electionTimer(ctx)];
  const lease = usesLease(ctx);
  if (lease) effects.push({ type: 'set-timer', name: TIMER.lease, afterMs: ctx.settings.electionTimeoutMs[0] });
  return { patch: lease ? { leader: from, leaseActive: true } : { leader: from }, effects };
}

/** A follower takes an InstallSnapshot of its own term (snapshot.ts), as it takes an AppendEntries. */
export function installSnapshot(ctx: RaftContext, from: NodeId, msg: InstallSnapshot): Step {
  if (msg.term < ctx.disk.currentTerm) return refuseStaleAppend(ctx, from);
  return acceptInstallSnapshot(ctx, from, msg, heardFromLeader(ctx, from));
}

/** The follower's lease on its leader has run out: PreVotes may be granted again, votes not ignored. */
export function endLease(): Step {
  return { patch: { leaseActive: false }, effects: [] };
}

/** Dissertation §6.4: a new leader appends a no-op of its term and sends it at once, so older entries commit soon. */
export function becomeLeader(ctx: RaftContext): Step {
  const log = ctx.disk.log;
  const term = ctx.disk.currentTerm;
  const effects: RaftEffect[] = [{ type: 'cancel-timer', name: TIMER.election }];
  if (usesLease(ctx)) effects.push({ type: 'cancel-timer', name: TIMER.lease });
  effects.push(trace({ type: 'leader', term }));
  const nextIndex: Record<NodeId, number> = {};
  const matchIndex: Record<NodeId, number> = {};
  for (const peer of ctx.peers) {
    nextIndex[peer] = lastIndex(ctx.disk) + 1;
    matchIndex[peer] = 0;
  }
  log.push({ term, cmd: NO_OP });
  effects.push(logTrace(lastIndex(ctx.disk), [log[log.length - 1]!]));
  const leading: RaftContext = { ...ctx, leader: ctx.id, leaseActive: true, nextIndex, matchIndex, heardFrom: [] };
  const sent = sendAppends(leading, ctx.peers, effects);
  effects.push({ type: 'set-timer', name: TIMER.heartbeat, afterMs: ctx.settings.heartbeatMs });
  if (ctx.settings.checkQuorum) effects.push({ type: 'set-timer', name: TIMER.checkQuorum, afterMs: ctx.settings.electionTimeoutMs[0] });
  const committed = commitAndApply(leading, commitIndexFor(ctx, matchIndex), effects);
  return {
    patch: { leader: ctx.id, leaseActive: true, nextIndex: sent, matchIndex, heardFrom: [], ...committed },
    effects,
  };
}

export function stopLeading(ctx: RaftContext): Step {
  const effects: RaftEffect[] = [{ type: 'cancel-timer', name: TIMER.heartbeat }];
  if (ctx.settings.checkQuorum) effects.push({ type: 'cancel-timer', name: TIMER.checkQuorum });
  return { patch: { leader: null, leaseActive: false }, effects };
}

/** Every heartbeat: each follower gets what it lacks from its nextIndex on, or an empty AppendEntries. */
export function sendHeartbeats(ctx: RaftContext): Step {
  const effects: RaftEffect[] = [];
  const nextIndex = sendAppends(ctx, ctx.peers, effects);
  effects.push({ type: 'set-timer', name: TIMER.heartbeat, afterMs: ctx.settings.heartbeatMs });
  return { patch: { nextIndex }, effects };
}

export function acceptProposal(ctx: RaftContext, cmd: string): Step {
  if (isConfigCommand(cmd)) return acceptConfigChange(ctx, cmd);
  const log = ctx.disk.log;
  const entry: LogEntry = { term: ctx.disk.currentTerm, cmd };
  log.push(entry);
  const effects: RaftEffect[] = [
    logTrace(lastIndex(ctx.disk), [entry]),
    { type: 'client-reply', cmd, accepted: true, leaderHint: ctx.id },
  ];
  const nextIndex = sendAppends(ctx, ctx.peers, effects);
  if (ctx.settings.appendResetsHeartbeat) effects.push({ type: 'set-timer', name: TIMER.heartbeat, afterMs: ctx.settings.heartbeatMs });
  const newCommit = commitIndexFor(ctx, ctx.matchIndex);
  return { patch: { nextIndex, ...commitAndApply(ctx, newCommit, effects) }, effects };
}

/**
 * Why the leader will not take a membership change now, or null when it will (dissertation §4.1):
 * one change at a time, so an earlier config entry must be committed first; and (the fix to
 * single-server changes in §4.1's errata) an entry of the leader's own term must be committed,
 * so that no change of an earlier leader that failed to commit can combine with this one.
 */
export function configChangeRefusal(ctx: RaftContext, cmd: string): string | null {
  const change = parseConfigChange(cmd);
  if (change === null) return 'not a membership change: use "config add orch-K" or "config remove orch-K"';
  if (ctx.configIndex > ctx.commitIndex) return `the change at entry ${ctx.configIndex} is not committed yet`;
  if (termAt(ctx.disk, ctx.commitIndex) !== ctx.disk.currentTerm) return 'no entry of this term is committed yet';
  if (!changesMembers(ctx.members, change)) return `${change.node} is ${change.op === 'add' ? 'already' : 'not'} a member`;
  if (applyChange(ctx.members, change).length === 0) return 'it would leave the cluster without members';
  return null;
}

/** The leader takes a membership change into its log and acts on the new configuration at once. */
function acceptConfigChange(ctx: RaftContext, cmd: string): Step {
  if (configChangeRefusal(ctx, cmd) !== null) return { patch: {}, effects: [{ type: 'client-reply', cmd, accepted: false, leaderHint: ctx.id }] };
  const log = ctx.disk.log;
  const entry: LogEntry = { term: ctx.disk.currentTerm, cmd };
  log.push(entry);
  const at = lastIndex(ctx.disk);
  const changed: RaftContext = { ...ctx, ...configAfterLogChange(ctx, at) };
  // A member added now has nothing yet as far as we know: start it at the new entry, back off from there.
  const added = changed.peers.filter((peer) => !ctx.peers.includes(peer));
  const nextIndexNow = { ...ctx.nextIndex };
  const matchIndex = { ...ctx.matchIndex };
  for (const peer of added) {
    nextIndexNow[peer] = at;
    matchIndex[peer] = 0;
  }
  const leading: RaftContext = { ...changed, matchIndex };
  const effects: RaftEffect[] = [logTrace(at, [entry]), { type: 'client-reply', cmd, accepted: true, leaderHint: ctx.id }];
  const nextIndex = sendAppends(leading, leading.peers, effects, nextIndexNow);
  if (ctx.settings.appendResetsHeartbeat) effects.push({ type: 'set-timer', name: TIMER.heartbeat, afterMs: ctx.settings.heartbeatMs });
  const committed = commitAndApply(leading, commitIndexFor(leading, matchIndex), effects);
  return {
    patch: { members: changed.members, configIndex: changed.configIndex, peers: changed.peers, nextIndex, matchIndex, ...committed },
    effects,
  };
}

/**
 * Outside its own configuration, and knowing that configuration is committed: such a node takes
 * no part any more. A leader that removed itself steps down at that moment (dissertation §4.2.2);
 * a brand-new node (no config entry yet, nothing to wait for) and a node that saw its removal
 * commit never campaign. A node whose removal is still uncommitted in its log does campaign, as
 * §4.2.2 asks: its log may be the only up-to-date one, and then nobody else can win without it.
 * (Its own vote is not counted, see `hasVoteMajority`.)
 */
export function isOutOfCluster(ctx: RaftContext): boolean {
  return !isMember(ctx) && ctx.commitIndex >= ctx.configIndex;
}

export function refuseProposal(ctx: RaftContext, cmd: string): Step {
  return { patch: {}, effects: [{ type: 'client-reply', cmd, accepted: false, leaderHint: ctx.leader }] };
}

/** The leader hears back: record progress (max, so late replies are safe), commit, and keep the follower fed. */
export function handleAppendReply(ctx: RaftContext, from: NodeId, reply: AppendEntriesReply): Step {
  if (reply.term < ctx.disk.currentTerm || !ctx.peers.includes(from)) return { patch: {}, effects: [] };
  // Only CheckQuorum reads who answered; without it, skip the bookkeeping.
  const heardFrom = !ctx.settings.checkQuorum || ctx.heardFrom.includes(from) ? ctx.heardFrom : [...ctx.heardFrom, from];
  const oldNext = ctx.nextIndex[from] ?? lastIndex(ctx.disk) + 1;
  const oldMatch = ctx.matchIndex[from] ?? 0;
  const effects: RaftEffect[] = [];
  if (!reply.success) {
    const next = nextIndexAfterRefusal(ctx.disk, reply, oldNext, oldMatch);
    if (next >= oldNext) return { patch: { heardFrom }, effects };
    const nextIndex = sendAppends(ctx, [from], effects, { ...ctx.nextIndex, [from]: next });
    return { patch: { heardFrom, nextIndex }, effects };
  }
  const match = Math.max(oldMatch, reply.matchIndex);
  const matchIndex = match === oldMatch ? ctx.matchIndex : { ...ctx.matchIndex, [from]: match };
  let nextIndex = ctx.nextIndex;
  if (match + 1 > oldNext) nextIndex = { ...nextIndex, [from]: match + 1 };
  const committed = commitAndApply(ctx, commitIndexFor(ctx, matchIndex), effects);
  // The follower still lacks entries: the AppendEntries carries the commit index just reached.
  if ((nextIndex[from] ?? 0) <= lastIndex(ctx.disk)) nextIndex = sendAppends(committed ? { ...ctx, ...committed } : ctx, [from], effects, nextIndex);
  return { patch: { heardFrom, matchIndex, nextIndex, ...committed }, effects };
}

/** CheckQuorum: fewer than a majority of the current configuration answered (the leader counts if it is a member). */
export function hasLostQuorum(ctx: RaftContext): boolean {
  return countMembers(ctx.members, ctx.heardFrom) + (isMember(ctx) ? 1 : 0) < majorityOf(clusterSizeOf(ctx));
}

/** CheckQuorum passed: start the next round of counting. */
export function startQuorumWindow(ctx: RaftContext): Step {
  return {
    patch: { heardFrom: [] },
    effects: [{ type: 'set-timer', name: TIMER.checkQuorum, afterMs: ctx.settings.electionTimeoutMs[0] }],
  };
}
