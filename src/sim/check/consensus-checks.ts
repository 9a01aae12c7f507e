/**
 * The checks on the orchestrators' consensus (Raft §5.2–5.4, Figure 3), read off `leader`,
 * `role`, `vote`, `log`, `commit` and `apply` trace events and the nodes' `down`/`up`.
 *
 * The trace is emitted in the order the machine acted, so a leader that steps down must trace
 * its new `role` before it truncates its log, and a node traces `log` before the `commit`
 * that covers it.
 *
 * Log compaction (`snapshot`, `install-snapshot`): a node's mirror then keeps only the chained
 * hash at its snapshot point, which still decides log matching and leader completeness, and a
 * snapshot must cover committed entries only (its hash is the committed log's there). The
 * committed log and the commands applied at each index are kept from the latest snapshot point
 * of any node on, and below it those of the entries snapshots keep (what a loaded snapshot hands
 * its agent again), so the checker's memory is bounded like the nodes' logs: another apply below
 * it (a node replaying an old, uncompacted log) is checked through its log's hashes only.
 */
import type { NodeId } from '../machines/protocol';
import type { LifecycleTraceEvent, NodeTraceEvent } from '../trace/trace';
import { LogMirror } from './log-mirror';
import { type ReportViolation, seconds } from './violations';

type Of<T extends NodeTraceEvent['type']> = Extract<NodeTraceEvent, { type: T }>;

interface Leadership {
  readonly node: NodeId;
  readonly atMs: number;
}

interface Vote {
  readonly term: number;
  readonly for: NodeId;
}

interface Applied {
  readonly cmd: string;
  readonly node: NodeId;
  readonly atMs: number;
}

export class ConsensusChecks {
  private readonly mirrors = new Map<NodeId, LogMirror>();
  private readonly leaderOfTerm = new Map<number, Leadership>();
  /** The term a node currently leads, from its `leader` event until it steps down or goes down. */
  private readonly leadingTerm = new Map<NodeId, number>();
  /** Every committed entry, copied from the committing node's mirror; `committedAtMs` in step. */
  private readonly committed = new LogMirror();
  private readonly committedAtMs: number[] = [];
  /** index → the first command applied there (dense: `applied[k]` is index `appliedBase + 1 + k`). */
  private applied: Applied[] = [];
  private appliedBase = 0;
  /** Below `appliedBase`: the first command applied at each index a snapshot keeps. */
  private readonly keptApplied = new Map<number, Applied>();
  /** The committed log's term and chained hash at each point a node took a snapshot. */
  private readonly snapshotPoints = new Map<number, { readonly term: number; readonly hash: number }>();
  private readonly lastApplied = new Map<NodeId, number>();
  private readonly termOf = new Map<NodeId, number>();
  private readonly voteOf = new Map<NodeId, Vote>();

  constructor(private readonly report: ReportViolation) {}

  observe(event: NodeTraceEvent | LifecycleTraceEvent): void {
    switch (event.type) {
      case 'leader': return this.onLeader(event);
      case 'role': return this.onRole(event);
      case 'vote': return this.onVote(event);
      case 'log': return this.onLog(event);
      case 'commit': return this.onCommit(event);
      case 'apply': return this.onApply(event);
      case 'snapshot': return this.onSnapshot(event);
      case 'install-snapshot': return this.onInstallSnapshot(event);
      case 'down': return this.onDown(event);
      case 'up': return void this.lastApplied.set(event.node, 0);
    }
  }

  private mirrorOf(node: NodeId): LogMirror {
    let mirror = this.mirrors.get(node);
    if (mirror === undefined) this.mirrors.set(node, (mirror = new LogMirror()));
    return mirror;
  }

  private onLeader(event: Of<'leader'>): void {
    this.checkTermMonotonic(event.node, event.term, event.atMs);
    this.checkOneLeaderPerTerm(event);
    this.checkLeaderHoldsCommitted(event);
    this.leadingTerm.set(event.node, event.term);
  }

  private onRole(event: Of<'role'>): void {
    this.checkTermMonotonic(event.node, event.term, event.atMs);
    if (event.role !== 'leader') this.leadingTerm.delete(event.node);
  }

  private onVote(event: Of<'vote'>): void {
    this.checkTermMonotonic(event.node, event.term, event.atMs);
    this.checkOneVotePerTerm(event);
  }

  private onLog(event: Of<'log'>): void {
    const mirror = this.mirrorOf(event.node);
    const hashes = mirror.hashesFrom(event.index, event.entries);
    this.checkLeaderAppendOnly(event, mirror, hashes);
    const firstChanged = firstChangedIndex(mirror, event.index, hashes);
    mirror.replaceFrom(event.index, event.entries, hashes);
    this.checkLogMatching(event, mirror, firstChanged);
  }

  private onCommit(event: Of<'commit'>): void {
    const mirror = this.mirrorOf(event.node);
    if (event.restored !== undefined) return this.onRestore(event, event.restored);
    this.checkCommitOfOwnTerm(event, mirror.termAt(event.index) ?? event.term);
    this.recordCommitted(mirror, event.index, event.atMs);
  }

  private onApply(event: Of<'apply'>): void {
    this.checkSameCommandEverywhere(event);
    this.checkApplyOrder(event);
  }

  /** A node compacted its log up to `index`: that prefix must be committed, as the cluster committed it. */
  private onSnapshot(event: Of<'snapshot'>): void {
    const mirror = this.mirrorOf(event.node);
    const hash = mirror.hashAt(event.index);
    const committed = this.committed.hashAt(event.index) ?? this.snapshotPoints.get(event.index)?.hash;
    if (hash === undefined || (committed !== undefined && hash !== committed) || event.index > this.committed.length) {
      this.report('state-machine-safety', {
        atMs: event.atMs,
        nodes: [event.node],
        message:
          `At ${seconds(event.atMs)} ${event.node} compacted its log up to entry ${event.index} into a snapshot, but ` +
          `${event.index > this.committed.length ? `only ${this.committed.length} entries are committed` : 'its log differs there from the committed one'}. ` +
          `A snapshot holds the state machine's state, so it covers committed entries only.`,
      });
    }
    const at = hash ?? committed ?? 0;
    if (!this.snapshotPoints.has(event.index)) this.snapshotPoints.set(event.index, { term: event.term, hash: at });
    mirror.compact(event.index, event.term, at, mirror.length - event.index);
    for (const index of event.kept) {
      const applied = this.applied[index - this.appliedBase];
      if (index > this.appliedBase && applied !== undefined) this.keptApplied.set(index, applied);
    }
    this.forgetCommittedTo(event.index);
  }

  /** A follower installed its leader's snapshot: its mirror takes the snapshot's point (the leader traced it first). */
  private onInstallSnapshot(event: Of<'install-snapshot'>): void {
    const mirror = this.mirrorOf(event.node);
    const point = this.snapshotPoints.get(event.index);
    const hash = point?.hash ?? this.committed.hashAt(event.index) ?? mirror.hashAt(event.index) ?? 0;
    mirror.compact(event.index, event.term, hash, event.logAfter);
  }

  /** A node loaded a snapshot (at boot or installed): committed and applied up to its index; its kept entries applied again. */
  private onRestore(event: Of<'commit'>, restored: readonly { readonly index: number; readonly cmd: string }[]): void {
    for (const entry of restored) this.checkSameCommandEverywhere({ ...event, type: 'apply', index: entry.index, cmd: entry.cmd });
    this.lastApplied.set(event.node, Math.max(this.lastApplied.get(event.node) ?? 0, event.index));
  }

  /**
   * Forgets the committed log and the applied commands up to `index` (a snapshot point), keeping
   * the hash there: what the checks still read lies after the latest snapshot.
   */
  private forgetCommittedTo(index: number): void {
    if (index <= this.appliedBase || index > this.committed.length) return;
    const point = this.snapshotPoints.get(index)!;
    this.committed.compact(index, point.term, point.hash, this.committed.length - index);
    this.committedAtMs.splice(0, index - this.appliedBase);
    this.applied = this.applied.slice(index - this.appliedBase);
    this.appliedBase = index;
  }

  private onDown(event: LifecycleTraceEvent): void {
    this.leadingTerm.delete(event.node);
    if (event.diskLost !== true) return;
    // A wiped node starts again from nothing: empty log, term 0, no vote. What it had
    // committed stays committed for the cluster; that is what leader-completeness guards.
    this.mirrors.get(event.node)?.truncate(0);
    this.termOf.delete(event.node);
    this.voteOf.delete(event.node);
  }

  // election-safety: term → leader.
  private checkOneLeaderPerTerm(event: Of<'leader'>): void {
    const earlier = this.leaderOfTerm.get(event.term);
    if (earlier === undefined) {
      this.leaderOfTerm.set(event.term, { node: event.node, atMs: event.atMs });
      return;
    }
    if (earlier.node === event.node) return;
    this.report('election-safety', {
      atMs: event.atMs,
      nodes: [earlier.node, event.node],
      message:
        `${earlier.node} and ${event.node} were both leader in term ${event.term}: ${earlier.node} from ` +
        `${seconds(earlier.atMs)}, then ${event.node} at ${seconds(event.atMs)}. A term may have at most one leader.`,
    });
  }

  // leader-completeness: a new leader of term T holds every entry committed before T.
  private checkLeaderHoldsCommitted(event: Of<'leader'>): void {
    const mustHold = this.lastCommittedBefore(event.term);
    if (mustHold === 0) return;
    const mirror = this.mirrorOf(event.node);
    const committedHash = this.committed.hashAt(mustHold);
    const heldHash = mirror.hashAt(mustHold);
    // Below a snapshot point (the node's, or the checker's own) only the hashes at those points are kept.
    if (committedHash === undefined || (heldHash === undefined && mirror.compactedTo > mustHold)) return;
    if (heldHash === committedHash) return;
    const index = firstDifference(mirror, this.committed, mustHold);
    const lacks = mirror.termAt(index) === undefined
      ? `its log holds ${entryCount(mirror.length)}, so it lacks entry ${index}`
      : `its entry ${index} is (${describeEntry(mirror, index)}) where the committed one is`;
    this.report('leader-completeness', {
      atMs: event.atMs,
      nodes: [event.node],
      message:
        `At ${seconds(event.atMs)} ${event.node} became leader of term ${event.term}, but ${lacks} ` +
        `(${describeEntry(this.committed, index)}), committed at ${seconds(this.committedAtMs[index - 1 - this.appliedBase] ?? 0)}. ` +
        `A new leader must already hold every entry committed in earlier terms.`,
    });
  }

  /** Committed terms only grow along the log, so those before `term` form a prefix. */
  private lastCommittedBefore(term: number): number {
    let index = this.committed.length;
    while (index > 0 && (this.committed.termAt(index) ?? 0) >= term) index--;
    return index;
  }

  // log-matching: same index and term on two nodes ⇒ same chained hash.
  private checkLogMatching(event: Of<'log'>, mirror: LogMirror, firstChanged: number): void {
    for (const [other, otherMirror] of this.mirrors) {
      if (other === event.node) continue;
      const index = firstMismatch(mirror, otherMirror, firstChanged);
      if (index === 0) continue;
      this.report('log-matching', {
        atMs: event.atMs,
        nodes: [event.node, other],
        message:
          `At ${seconds(event.atMs)} ${event.node} and ${other} both held an entry at index ${index} from ` +
          `term ${mirror.termAt(index)}, yet ${mismatchDetail(event.node, mirror, other, otherMirror, index)}. ` +
          `Entries with the same index and term must have identical logs up to them.`,
      });
    }
  }

  // leader-append-only: while leading a term, a leader's old log stays a prefix of its new one.
  private checkLeaderAppendOnly(event: Of<'log'>, mirror: LogMirror, hashes: readonly number[]): void {
    const term = this.leadingTerm.get(event.node);
    const oldLength = mirror.length;
    if (term === undefined || event.index > oldLength) return;
    const newLength = event.index - 1 + event.entries.length;
    const keptOld = newLength >= oldLength && hashes[oldLength - event.index] === mirror.hashAt(oldLength);
    if (keptOld) return;
    this.report('leader-append-only', {
      atMs: event.atMs,
      nodes: [event.node],
      message:
        `At ${seconds(event.atMs)} ${event.node}, leader of term ${term}, rewrote its log from entry ` +
        `${event.index} on (it had ${oldLength} entries, now ${newLength}). A leader only appends to its log.`,
    });
  }

  // current-term-commit: a leader commits by counting replicas only entries of its own term.
  private checkCommitOfOwnTerm(event: Of<'commit'>, entryTerm: number): void {
    const term = this.leadingTerm.get(event.node);
    if (term === undefined || entryTerm === term) return;
    this.report('current-term-commit', {
      atMs: event.atMs,
      nodes: [event.node],
      message:
        `At ${seconds(event.atMs)} ${event.node}, leader of term ${term}, committed entry ${event.index} ` +
        `from term ${entryTerm}. A leader may only commit entries of its own term; older ones become ` +
        `committed along with them (Raft §5.4.2, Figure 8).`,
    });
  }

  /** An entry committed at `index` commits everything before it, as the node's log holds it. */
  private recordCommitted(mirror: LogMirror, index: number, atMs: number): void {
    const upTo = Math.min(index, mirror.length);
    for (let i = this.committed.length + 1; i <= upTo; i++) {
      this.committed.push(mirror.termAt(i) ?? 0, mirror.cmdAt(i) ?? '', mirror.hashAt(i) ?? 0);
      this.committedAtMs.push(atMs);
    }
  }

  // state-machine-safety: one command per index, on every node.
  private checkSameCommandEverywhere(event: Of<'apply'>): void {
    const at = event.index - this.appliedBase;
    const first = at > 0 ? this.applied[at] : this.keptApplied.get(event.index);
    if (at <= 0 && first === undefined) return; // below every snapshot point, and not kept by one: forgotten
    if (first === undefined) {
      this.applied[at] = { cmd: event.cmd, node: event.node, atMs: event.atMs };
      return;
    }
    if (first.cmd === event.cmd) return;
    this.report('state-machine-safety', {
      atMs: event.atMs,
      nodes: [event.node, first.node],
      message:
        `At ${seconds(event.atMs)} ${event.node} applied "${event.cmd}" as entry ${event.index}, but ` +
        `${first.node} had applied "${first.cmd}" as entry ${event.index} at ${seconds(first.atMs)}. ` +
        `Every node must apply the same command at each index.`,
    });
  }

  // apply-order: 1, 2, 3… since the node last started.
  private checkApplyOrder(event: Of<'apply'>): void {
    const last = this.lastApplied.get(event.node) ?? 0;
    this.lastApplied.set(event.node, Math.max(last, event.index));
    if (event.index === last + 1) return;
    const what = event.index <= last
      ? `applied entry ${event.index} again, after entry ${last}`
      : `applied entry ${event.index} right after entry ${last}, skipping ` +
        (event.index === last + 2 ? `entry ${last + 1}` : `entries ${last + 1} to ${event.index - 1}`);
    this.report('apply-order', {
      atMs: event.atMs,
      nodes: [event.node],
      message: `At ${seconds(event.atMs)} ${event.node} ${what}. A node applies its log in order, each entry once.`,
    });
  }

  // monotonic-terms: a node's term never goes back, restarts included, unless its disk was wiped.
  private checkTermMonotonic(node: NodeId, term: number, atMs: number): void {
    const previous = this.termOf.get(node) ?? 0;
    this.termOf.set(node, term);
    if (term >= previous) return;
    this.report('monotonic-terms', {
      atMs,
      nodes: [node],
      message:
        `At ${seconds(atMs)} ${node}'s term went back from ${previous} to ${term}. A node's term never ` +
        `decreases, not even across a restart: it is kept on disk.`,
    });
  }

  // monotonic-terms: one vote per term. Voting again for the same candidate (a repeated
  // request) is harmless; voting for a second candidate could elect two leaders.
  private checkOneVotePerTerm(event: Of<'vote'>): void {
    const earlier = this.voteOf.get(event.node);
    if (earlier === undefined || event.term > earlier.term) {
      this.voteOf.set(event.node, { term: event.term, for: event.for });
      return;
    }
    if (event.term < earlier.term || earlier.for === event.for) return;
    this.report('monotonic-terms', {
      atMs: event.atMs,
      nodes: [event.node, earlier.for, event.for],
      message:
        `At ${seconds(event.atMs)} ${event.node} voted for ${event.for} in term ${event.term}, after it had ` +
        `already voted for ${earlier.for} in that term. A node votes once per term.`,
    });
  }
}

/** The first index at or after `index` whose hash a replacement would change; 0 for none. */
function firstChangedIndex(mirror: LogMirror, index: number, hashes: readonly number[]): number {
  for (let i = 0; i < hashes.length; i++) if (hashes[i] !== mirror.hashAt(index + i)) return index + i;
  return 0;
}

/**
 * The first index from `from` on where both logs hold an entry of the same term with different
 * hashes, skipping an index whose predecessor already mismatched that way: one root cause, one
 * report. 0 for none.
 */
function firstMismatch(mine: LogMirror, theirs: LogMirror, from: number): number {
  if (from === 0) return 0;
  const end = Math.min(mine.length, theirs.length);
  for (let index = from; index <= end; index++) {
    if (!sameTermDifferentHash(mine, theirs, index)) continue;
    if (index > 1 && sameTermDifferentHash(mine, theirs, index - 1)) continue;
    return index;
  }
  return 0;
}

function sameTermDifferentHash(mine: LogMirror, theirs: LogMirror, index: number): boolean {
  return mine.termAt(index) === theirs.termAt(index) && mine.hashAt(index) !== theirs.hashAt(index);
}

function mismatchDetail(node: NodeId, mine: LogMirror, other: NodeId, theirs: LogMirror, index: number): string {
  const myCmd = mine.cmdAt(index);
  const theirCmd = theirs.cmdAt(index);
  if (myCmd !== theirCmd) return `${node} has "${myCmd}" there and ${other} has "${theirCmd}"`;
  return 'their logs differ before it';
}

/** The first index ≤ `upTo` where `log` lacks or differs from `reference`. */
function firstDifference(log: LogMirror, reference: LogMirror, upTo: number): number {
  for (let index = Math.max(1, log.compactedTo, reference.compactedTo); index <= upTo; index++) if (log.hashAt(index) !== reference.hashAt(index)) return index;
  return upTo;
}

function entryCount(count: number): string {
  if (count === 0) return 'no entries';
  return count === 1 ? 'only 1 entry' : `only ${count} entries`;
}

function describeEntry(log: LogMirror, index: number): string {
  return `term ${log.termAt(index)}, "${log.cmdAt(index)}"`;
}
