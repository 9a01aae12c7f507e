/**
 * A scenario after validation: every optional field filled with its default, selectors and ids
 * checked. `parseScenario` (parse.ts) is the only way to make one from untrusted JSON.
 * The scenario file (README, "Scenario files") is the public form; this is the shape the engine reads.
 */
import type { NodeId } from '../machines/protocol';
import type { Challenge } from '../challenge/types';

export type RegionRole = 'primary' | 'dr';
export type ReplicationMode = 'sync' | 'async';

export interface StandbySpec {
  readonly replication: ReplicationMode;
  readonly region: RegionRole;
}

export interface Topology {
  readonly orchestrators: number;
  readonly election: 'raft' | 'bully';
  readonly servers: number;
  readonly database: { readonly standbys: readonly StandbySpec[]; readonly witness: boolean } | null;
  readonly backups: { readonly incrementalEveryMs: number; readonly fullEveryMs: number; readonly offsite: boolean } | null;
  /** Display names of the two data centres, e.g. { primary: "mumbai", dr: "singapore" }. */
  readonly regions: { readonly primary: string; readonly dr: string };
}

export type MsRange = readonly [number, number];

export interface Settings {
  readonly fencing: boolean;
  readonly quorum: boolean;
  readonly heartbeatMs: number;
  /**
   * A Raft leader's AppendEntries round that carries new entries counts as its heartbeat: the next
   * heartbeat comes `heartbeatMs` after it (as RaftScope does). False keeps heartbeats on their own
   * clock, each round of entries sent besides them (as etcd does).
   */
  readonly appendResetsHeartbeat: boolean;
  readonly electionTimeoutMs: MsRange;
  readonly healthCheck: { readonly intervalMs: number; readonly timeoutMs: number; readonly failureThreshold: number };
  readonly latencyMs: { readonly local: MsRange; readonly crossRegion: MsRange };
  /** Raft PreVote (dissertation §9.6): a candidate first asks whether it could win. */
  readonly preVote: boolean;
  /** Raft CheckQuorum: a leader that has not heard from a majority for an election timeout steps down. */
  readonly checkQuorum: boolean;
  /**
   * Each Raft node compacts its log into a snapshot once this many applied entries follow its last
   * one (dissertation chapter 5); a follower missing compacted entries gets the snapshot instead.
   */
  readonly raftSnapshotEvery: number;
  /** Probability that any one message is lost on any link (0 … 1). */
  readonly lossRate: number;
  /** How much of the newest WAL a primary keeps for standbys (PostgreSQL `wal_keep_size`, no slots); a standby further behind must be rebuilt. */
  readonly walKeepBytes: number;
  /** With quorum on and orchestrators or a witness present, a primary that gets no lease renewal for this long stops taking writes (Patroni's TTL). */
  readonly leaseMs: number;
  /** How fast a base backup copies the primary's data to a standby being rebuilt. */
  readonly baseBackupBytesPerSec: number;
  /** How long a database node takes to flush written WAL to disk; 0 flushes at once. */
  readonly diskFlushMs: number;
  /**
   * Patroni's `synchronous_mode_strict`. Off (the default): a primary whose synchronous standbys
   * are all gone acknowledges writes on its own flush (durability degraded, a `sync` event with no
   * standbys) until one is back. On: it refuses to acknowledge until one is back.
   */
  readonly synchronousModeStrict: boolean;
  /** How long an API server works on one request; a server that crashes loses the requests it holds. */
  readonly serviceMs: number;
  /** How long the load balancer waits for a server's answer before it fails the request. */
  readonly requestTimeoutMs: number;
  /** How long the cloud takes to start a replacement machine (an API server, an orchestrator or a database node). */
  readonly provisionMs: number;
  /**
   * With Raft orchestrators, a database node that stays down this long is replaced by a new node
   * (`db-K`) rebuilt from a base backup of the primary; one whose disk is lost is replaced at once.
   */
  readonly replaceDatabaseAfterMs: number;
}

export interface Workload {
  readonly writesPerSec: number;
  readonly proposalsPerSec: number;
  /** Read requests per second from clients through the load balancer to the API servers (they need no database). */
  readonly requestsPerSec: number;
}

/** A node reference as written in a scenario: an id (`orch-2`) or a selector (`@leader`, `@primary`). */
export type NodeRef = string;

export type ScenarioEvent =
  | { readonly atMs: number; readonly do: 'crash' | 'restart' | 'wipe-disk' | 'promote' | 'switchover'; readonly node: NodeRef }
  | { readonly atMs: number; readonly do: 'partition'; readonly groups: readonly (readonly NodeRef[])[] }
  | { readonly atMs: number; readonly do: 'cut' | 'heal-link'; readonly between: readonly [NodeRef, NodeRef] }
  | { readonly atMs: number; readonly do: 'heal' }
  | {
      readonly atMs: number;
      readonly do: 'slow-link';
      readonly between: readonly [NodeRef, NodeRef];
      readonly latencyMs: MsRange;
      readonly lossRate: number;
    }
  /** `region` is the region's role key after parsing (a display name is accepted in files). */
  | { readonly atMs: number; readonly do: 'region-down' | 'region-up'; readonly region: RegionRole }
  | { readonly atMs: number; readonly do: 'restore-backup'; readonly node: NodeRef; readonly from: NodeId }
  | { readonly atMs: number; readonly do: 'set'; readonly path: string; readonly value: unknown }
  | { readonly atMs: number; readonly do: 'propose'; readonly cmd: string };

export type ScenarioEventKind = ScenarioEvent['do'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A person's click on the page, before the session stamps it with the time it happened at. */
export type UserAction = DistributiveOmit<ScenarioEvent, 'atMs'>;

export interface Scenario {
  readonly version: 1;
  readonly title: string;
  readonly description: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly topology: Topology;
  readonly settings: Settings;
  readonly workload: Workload;
  /** Sorted by `atMs` (stable: events at the same time keep their order in the file). */
  readonly events: readonly ScenarioEvent[];
  /** A goal checked against the run's report (extension; absent in most scenarios). */
  readonly challenge?: Challenge;
  /** A lesson's narrative, one step at a time (extension; the page shows it, the engine ignores it). */
  readonly steps?: readonly LessonStep[];
  /** What the learner saw, shown once the last step is reached (markdown; live values allowed). */
  readonly lessonSummary?: string;
}

/** One step of a lesson: what to do or watch, the node it points at, and what completes it. */
export interface LessonStep {
  readonly text: string;
  readonly node?: NodeRef;
  /** Performing this action (on `node`, when given) completes the step. */
  readonly action?: Exclude<ScenarioEventKind, 'set' | 'slow-link'>;
  /** The step becomes current when the run reaches this time. */
  readonly atMs?: number;
  /** Facts about the run that hold while this step is current, checked against the moment on screen. */
  readonly claims?: readonly LessonClaim[];
  /** Predict, then reveal: the run waits for the learner's pick when the step becomes current. */
  readonly question?: LessonQuestion;
}

/**
 * The live values a lesson's text may name in braces (`{leader} leads term {term}`), each replaced
 * by what is on screen at the moment: the running leader, the database node taking writes, the
 * leader's term (or the highest term while none leads), the node the learner (or the script) last
 * crashed or wiped, last restarted, and a running standby.
 */
export const LIVE_PLACEHOLDERS = ['leader', 'primary', 'term', 'lastCrashed', 'lastRestarted', 'standby'] as const;
export type LivePlaceholder = (typeof LIVE_PLACEHOLDERS)[number];

/**
 * The figures a `meter` claim may read, as the page's meters show them at the moment:
 * writes attempted / acknowledged / rejected / lost, the worst loss (`rpoWrites`, `rpoMs`), the
 * time writes failed (`unavailableMs`) and without a primary (`noPrimaryMs`), API requests, and
 * `term`, the highest Raft term any running orchestrator is at.
 */
export const CLAIM_METERS = [
  'attemptedWrites',
  'acknowledgedWrites',
  'rejectedWrites',
  'lostWrites',
  'rpoWrites',
  'rpoMs',
  'unavailableMs',
  'noPrimaryMs',
  'requestsAttempted',
  'requestsServed',
  'requestsFailed',
  'requestsRetried',
  'term',
] as const;
export type ClaimMeter = (typeof CLAIM_METERS)[number];

/** What a `node` claim may say a node is. */
export const NODE_CONDITIONS = ['down', 'up', 'replaced', 'leader', 'follower', 'candidate', 'primary', 'standby'] as const;
export type NodeCondition = (typeof NODE_CONDITIONS)[number];

/** `"@any"` in a `leader` or `primary` claim: some node, whichever. */
export const ANY_NODE = '@any';

/**
 * One fact a lesson states about the run. `after`: checked only once the step has been current
 * this long (simulated ms), for facts that take a moment, such as an election.
 */
export type LessonClaim = { readonly after?: number } & (
  | { readonly leader: NodeRef }
  | { readonly noLeader: true }
  | { readonly primary: NodeRef }
  | { readonly primaries: number }
  | { readonly writesRejected: boolean }
  | { readonly meter: ClaimMeter; readonly above?: number; readonly below?: number; readonly equals?: number }
  | { readonly invariant: string; readonly holds: boolean }
  | { readonly node: NodeRef; readonly is: NodeCondition }
);

/** One answer a learner may pick; it is the right one when its claims hold at the reveal. */
export interface LessonChoice {
  readonly label: string;
  readonly claims?: readonly LessonClaim[];
  /** Why this answer is the one that held (markdown), said at the reveal when it held. */
  readonly why?: string;
}

export interface LessonQuestion {
  readonly prompt: string;
  readonly choices: readonly LessonChoice[];
  /** Reveal this long (simulated ms) after the pick; without it, when the next step becomes current. */
  readonly revealAfterMs?: number;
}
