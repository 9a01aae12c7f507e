/**
 * `single-leader`: at every moment at most one node leads with authority. It is what lets a
 * report say "Bully gave two coordinators, Raft one leader" for the same partition.
 *
 * Election safety (one leader per term) is not enough to say that: an old Raft leader cut off
 * in a minority still believes it leads, in its old term, while the majority elects a new one.
 * What keeps Raft safe is that the old one has lost its authority by then: the new leader was
 * elected by a majority in a higher term, and that majority will refuse the old leader
 * everything. So a leader's tenure is measured by what the cluster knows, not what it believes:
 *
 * - Raft: a tenure runs from the node's `leader` trace until it stops leading (a `role` trace,
 *   or `down`) or until a majority of its current configuration (the latest in its log) has
 *   moved to a higher term, whichever comes first. Each node's term is read off its `role`,
 *   `vote` and `leader` traces. Precisely, the tenure ends once the members still at its term
 *   or below are too few to form a majority: with an odd number of members that is the moment
 *   a majority has moved on; with an even number, half is enough, since the other half is no
 *   majority. A new leader needs the votes of a majority of its own configuration, and with one
 *   change at a time any majority of it meets every majority of the old leader's, so correct
 *   Raft never overlaps two tenures; a vote counted wrongly would.
 * - Bully: a coordinator asks nobody's consent, so nothing the others do ends its tenure: it
 *   lasts until it steps down or goes down.
 *
 * Two tenures of different nodes overlapping in time are a violation. A hand-over within one
 * millisecond is not an overlap.
 */
import { OpenOverlaps, type Overlap } from './overlaps';
import type { NodeId } from '../machines/protocol';
import {
  applyChange,
  type ConfigChange,
  describeMembers,
  initialMembers,
  isConfigCommand,
  majorityOf,
  parseConfigChange,
} from '../machines/raft/membership';
import type { Topology } from '../scenario/types';
import type { LifecycleTraceEvent, NodeTraceEvent } from '../trace/trace';
import { type ReportViolation, type Violation, seconds } from './violations';

type Of<T extends NodeTraceEvent['type']> = Extract<NodeTraceEvent, { type: T }>;

/** A node leading with authority, and the term (Bully: epoch) it leads in. */
interface Tenure {
  readonly term: number;
}

/** Two tenures open at once, from `startMs` until one of them ends; `why` explains it in words. */
interface LeadershipOverlap extends Overlap {
  readonly why: string;
}

/** The config entries of one node's log, in log order; rare, so a plain list is enough. */
interface ConfigEntry {
  readonly index: number;
  readonly change: ConfigChange;
}

export class LeadershipChecks {
  private readonly tenures = new Map<NodeId, Tenure>();
  private readonly overlaps: OpenOverlaps<LeadershipOverlap>;
  private readonly termOf = new Map<NodeId, number>();
  private readonly configEntries = new Map<NodeId, ConfigEntry[]>();
  /** The configuration a node's config entries start from, once it installed a snapshot (else the first members). */
  private readonly configBase = new Map<NodeId, readonly NodeId[]>();

  private readonly election: Topology['election'];
  /** The first configuration: the topology's orchestrators (Raft only). */
  private readonly firstMembers: readonly NodeId[];

  constructor(
    report: ReportViolation,
    topology: Topology,
  ) {
    this.election = topology.election;
    this.firstMembers = initialMembers(topology);
    this.overlaps = new OpenOverlaps('single-leader', report, {
      ended: (overlap, endMs) => `${overlap.nodes[0]} and ${overlap.nodes[1]} were both ${this.title()} from ${seconds(overlap.startMs)} to ${seconds(endMs)}: ${overlap.why}. ${RULE}`,
      ongoing: (overlap, nowMs) => `${overlap.nodes[0]} and ${overlap.nodes[1]} have both been ${this.title()} since ${seconds(overlap.startMs)} (still at ${seconds(nowMs)}): ${overlap.why}. ${RULE}`,
    });
  }

  observe(event: NodeTraceEvent | LifecycleTraceEvent): void {
    switch (event.type) {
      case 'leader':
        this.noteTerm(event.node, event.term, event.atMs);
        return this.startTenure(event);
      case 'role':
        this.noteTerm(event.node, event.term, event.atMs);
        if (event.role !== 'leader') this.endTenure(event.node, event.atMs);
        return;
      case 'vote':
        return this.noteTerm(event.node, event.term, event.atMs);
      case 'log':
        return this.onLog(event);
      case 'install-snapshot':
        return this.onInstallSnapshot(event);
      case 'down':
        if (event.diskLost === true) {
          this.configEntries.delete(event.node);
          this.configBase.delete(event.node);
        }
        return this.endTenure(event.node, event.atMs);
    }
  }

  /** Overlaps still going on; a moment of overlap counts only once time has moved past it. */
  openViolations(nowMs: number): Violation[] {
    return this.overlaps.violations(nowMs);
  }

  /** The configuration `node` acts on now: the first members changed by the config entries in its log. */
  membersOf(node: NodeId): readonly NodeId[] {
    let members = this.configBase.get(node) ?? this.firstMembers;
    for (const entry of this.configEntries.get(node) ?? []) members = applyChange(members, entry.change);
    return members;
  }

  private title(): string {
    return this.election === 'bully' ? 'coordinator' : 'leader';
  }

  private startTenure(event: Of<'leader'>): void {
    if (this.tenures.has(event.node)) {
      // Announced again (a Bully coordinator re-crowned in a new epoch): the same tenure goes on.
      this.tenures.set(event.node, { term: event.term });
      return;
    }
    for (const [other, tenure] of this.tenures) {
      this.overlaps.add({ nodes: [other, event.node], startMs: event.atMs, why: this.explain(other, tenure, event.node, event.term) });
    }
    this.tenures.set(event.node, { term: event.term });
  }

  private explain(first: NodeId, tenure: Tenure, second: NodeId, term: number): string {
    if (this.election === 'bully') return 'Bully asks no majority, so each side of the partition chose its own';
    const members = this.membersOf(first);
    const stayed = members.length - this.movedOn(members, tenure.term);
    return (
      `${second} became leader of term ${term} while ${stayed} of the ${members.length} in ${first}'s configuration ` +
      `(${describeMembers(members)}) were still at term ${tenure.term} or below, a majority ${first} could still lead; ` +
      `electing a new leader must first leave the old one without such a majority`
    );
  }

  /** How many of `members` are known to be in a term above `term`. */
  private movedOn(members: readonly NodeId[], term: number): number {
    let moved = 0;
    for (const member of members) if ((this.termOf.get(member) ?? 0) > term) moved++;
    return moved;
  }

  private endTenure(node: NodeId, atMs: number): void {
    if (!this.tenures.delete(node)) return;
    this.overlaps.close(node, atMs);
  }

  /** A node's term as its latest trace says; in Raft, this may end other nodes' tenures. */
  private noteTerm(node: NodeId, term: number, atMs: number): void {
    if (this.election !== 'raft') return;
    const previous = this.termOf.get(node);
    this.termOf.set(node, term);
    if (previous !== undefined && term <= previous) return;
    for (const [leader, tenure] of this.tenures) if (term > tenure.term) this.endIfMajorityMovedOn(leader, tenure, atMs);
  }

  /** Ends `leader`'s tenure once those still in its term or below cannot form a majority of its configuration. */
  private endIfMajorityMovedOn(leader: NodeId, tenure: Tenure, atMs: number): void {
    const members = this.membersOf(leader);
    if (members.length - this.movedOn(members, tenure.term) < majorityOf(members.length)) this.endTenure(leader, atMs);
  }

  /** A snapshot replaced the node's log up to its index: its configuration there, then the config entries it kept after it. */
  private onInstallSnapshot(event: Of<'install-snapshot'>): void {
    this.configBase.set(event.node, event.members);
    const kept = (this.configEntries.get(event.node) ?? []).filter((entry) => entry.index > event.index && entry.index <= event.index + event.logAfter);
    this.configEntries.set(event.node, kept);
  }

  /** Follows the config entries of a Raft node's log (truncation rolls them back). */
  private onLog(event: Of<'log'>): void {
    if (this.election !== 'raft') return;
    let list = this.configEntries.get(event.node);
    if (list !== undefined) while (list.length > 0 && list[list.length - 1]!.index >= event.index) list.pop();
    event.entries.forEach((entry, k) => {
      if (!isConfigCommand(entry.cmd)) return;
      const change = parseConfigChange(entry.cmd);
      if (change === null) return;
      if (list === undefined) this.configEntries.set(event.node, (list = []));
      list.push({ index: event.index + k, change });
    });
    // A leader's configuration may have shrunk to a majority that has already moved on.
    const tenure = this.tenures.get(event.node);
    if (tenure !== undefined) this.endIfMajorityMovedOn(event.node, tenure, event.atMs);
  }
}

const RULE = 'At most one node may lead at a time.';
