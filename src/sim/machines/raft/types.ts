/**
 * Raft's wire messages, what a Raft node keeps on disk, and the machine's context. Indices are
 * 1-based as in the paper: index 0 means "before the first entry" and has term 0.
 */
import type { Effect, NodeId } from '../protocol';
import type { Settings } from '../../scenario/types';

export interface LogEntry {
  readonly term: number;
  readonly cmd: string;
}

/** The command a new leader appends at once to commit its predecessors' entries (dissertation §6.4). */
export const NO_OP = '(no-op)';

/**
 * What survives a crash (Figure 2's persistent state).
 *
 * `log` is mutated in place by the running machine (append and truncate), so that an append
 * costs O(1) instead of a copy of the whole log. Whoever keeps a `RaftDisk` must therefore stop
 * the actor that owns it before reusing it, and copy `log` to keep a frozen picture of it.
 */
export interface RaftDisk {
  readonly currentTerm: number;
  readonly votedFor: NodeId | null;
  /** The entries after the snapshot: `log[k]` is entry `(snapshot?.index ?? 0) + 1 + k`. */
  readonly log: LogEntry[];
  /** The log's compacted prefix (snapshot.ts); absent or null while nothing was compacted. */
  readonly snapshot?: RaftSnapshot | null;
}

/** A log entry with its index, as a snapshot keeps the entries its state machine still needs. */
export interface IndexedEntry extends LogEntry {
  readonly index: number;
}

/**
 * The log's prefix up to `index` replaced by what it leaves behind (dissertation chapter 5): the
 * last included index and term, the configuration at that index, and the state machine's state.
 * The state machine fed by this log is the orchestrators' failover agent (and membership); its
 * state is kept as the applied entries that still matter to it (`retained`, chosen by the agent's
 * rule in orchestrator/snapshot.ts): replayed in order on an empty agent they rebuild what the
 * whole prefix would. Lease renewals, one a second and the bulk of the log, are what it drops.
 */
export interface RaftSnapshot {
  readonly index: number;
  readonly term: number;
  /** The configuration in force at `index`, and the index of the entry it comes from. */
  readonly members: readonly NodeId[];
  readonly configIndex: number;
  readonly retained: readonly IndexedEntry[];
}

/** RequestVote, or with `preVote` the PreVote probe (dissertation §9.6) that changes nobody's term. */
export interface RequestVote {
  readonly type: 'RequestVote';
  /** The candidate's term; for a PreVote, the term it would campaign in (its term + 1). */
  readonly term: number;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  readonly preVote: boolean;
}

export interface RequestVoteReply {
  readonly type: 'RequestVoteReply';
  /** The voter's current term (a granted PreVote never carries a term above the asker's). */
  readonly term: number;
  readonly granted: boolean;
  readonly preVote: boolean;
  /** The `term` of the request this answers, so a late answer to an older round is not counted. */
  readonly requestTerm: number;
}

export interface AppendEntries {
  readonly type: 'AppendEntries';
  readonly term: number;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  /** Empty for a heartbeat. */
  readonly entries: readonly LogEntry[];
  readonly leaderCommit: number;
}

export interface AppendEntriesReply {
  readonly type: 'AppendEntriesReply';
  readonly term: number;
  readonly success: boolean;
  /**
   * On success, the index of the last entry the follower now knows matches the leader's log
   * (prevLogIndex + entries.length). Explicit, so a late or duplicated reply is still true.
   */
  readonly matchIndex: number;
  /** On failure, where the leader should look next: the first index of `conflictTerm` or, when null, the follower's log length + 1. */
  readonly conflictIndex: number;
  readonly conflictTerm: number | null;
}

/**
 * Figure 5.3 of the dissertation, sent whole (the simulated network has no size limit): the
 * leader's snapshot, for a follower that needs entries the leader has compacted away. The
 * follower answers with an AppendEntriesReply whose `matchIndex` is the snapshot's index.
 */
export interface InstallSnapshot {
  readonly type: 'InstallSnapshot';
  readonly term: number;
  readonly snapshot: RaftSnapshot;
}

export type RaftMessage = RequestVote | RequestVoteReply | AppendEntries | AppendEntriesReply | InstallSnapshot;

export type RaftEffect = Effect<RaftMessage>;

/** The machine's context: the disk plus Figure 2's volatile state and some bookkeeping. */
export interface RaftContext {
  readonly id: NodeId;
  /**
   * The members of this node's current configuration (membership.ts): the topology's first
   * orchestrators changed by every `config` entry in its log, committed or not. It may leave
   * this node out: a brand-new node before it learns of its addition, or a removed one.
   */
  readonly members: readonly NodeId[];
  /** The log index of the entry `members` comes from; 0 when the log holds no config entry. */
  readonly configIndex: number;
  /** The members before any config entry, to read the configuration again after a truncation. */
  readonly firstMembers: readonly NodeId[];
  /** `members` without this node, in the same order: whom it asks for votes and replicates to. */
  readonly peers: readonly NodeId[];
  readonly settings: Settings;
  readonly disk: RaftDisk;
  readonly commitIndex: number;
  readonly lastApplied: number;
  /** The leader this node last heard from in its current term (itself when leading), for client hints. */
  readonly leader: NodeId | null;
  /** Heard from a live leader within electionTimeoutMs[0] (PreVote and CheckQuorum rely on it). */
  readonly leaseActive: boolean;
  /** Who granted this node a vote (or PreVote) in the round under way, itself included. */
  readonly votes: readonly NodeId[];
  readonly nextIndex: Readonly<Record<NodeId, number>>;
  readonly matchIndex: Readonly<Record<NodeId, number>>;
  /** Followers that answered the leader since the last CheckQuorum check. */
  readonly heardFrom: readonly NodeId[];
  /** Booted from a disk with a snapshot not yet handed to the state machine (done after its first role). */
  readonly restoreAtBoot: boolean;
  /** Why the next role change happens; the entered state reports it in its `role` trace. */
  readonly roleReason: string;
}
