/**
 * The trace: one record per notable step of a run, in simulated-time order. It is what the
 * invariant checker reads, what `npm run sim --trace` writes as NDJSON, and what the page's
 * event log tells in words. The README's report section lists the required types and fields.
 */
import type { NodeId, NodeTrace } from '../machines/protocol';
import type { ScenarioEvent } from '../scenario/types';

/**
 * Something a node's machine reported, stamped by the kernel. Includes `failover`: one step of an
 * automatic database failover (detect → confirm → fence → promote → redirect), told by the
 * orchestrator agent that drives it.
 */
export type NodeTraceEvent = Exclude<NodeTrace, { type: 'writable' | 'write-ack' | 'sync' | 'promoted' }> & { readonly atMs: number; readonly node: NodeId };

/** A scenario event (from the file or a user's click) as it takes effect; selectors resolved. */
export type FaultTraceEvent = {
  readonly atMs: number;
  readonly type: 'fault';
  readonly do: ScenarioEvent['do'];
  readonly node?: NodeId;
  readonly groups?: readonly (readonly NodeId[])[];
  readonly between?: readonly [NodeId, NodeId];
  readonly region?: string;
  readonly path?: string;
  readonly value?: unknown;
  readonly cmd?: string;
  /** `restore-backup`: the backup store read. */
  readonly from?: NodeId;
  /** Why the event changed nothing, when it did not (e.g. "orch-2 is already down"). */
  readonly noop?: string;
};

/** A node's process ends or begins; emitted by the kernel for crash, wipe, restart, region outages. */
export type LifecycleTraceEvent = {
  readonly atMs: number;
  readonly type: 'down' | 'up';
  readonly node: NodeId;
  readonly reason: string;
  /** On `down`: whether the disk survived. */
  readonly diskLost?: boolean;
};

/** A client command reaching a node: taken into a leader's log or refused. */
export type ProposeTraceEvent = {
  readonly atMs: number;
  readonly type: 'propose';
  readonly node: NodeId;
  readonly cmd: string;
  readonly accepted: boolean;
};

/**
 * What a database node reports; the kernel adds `atMs` and `node`, as for `NodeTrace`. The
 * invariant checker reads these for `single-writer`, `no-acknowledged-write-lost` and `epochs`.
 */
/** Database events as the trace holds them: `promoted` carries the kernel's `highestAckedLsn`. */
export type DatabaseTrace =
  | Extract<NodeTrace, { type: 'writable' | 'write-ack' | 'sync' }>
  | (Extract<NodeTrace, { type: 'promoted' }> & {
      /** The highest LSN acknowledged to any client before the promotion (on the old timeline). */
      readonly highestAckedLsn: number;
    });

export type DatabaseTraceEvent = DatabaseTrace & { readonly atMs: number; readonly node: NodeId };

/**
 * An operator's restore from a backup store: `started` when the copy begins (`readyAtMs` says when
 * the node will be up), `done` when the node comes up with the data up to `upToLsn`, `abandoned`
 * when it could not. `text` says it in words.
 */
export type RestoreTraceEvent = {
  readonly atMs: number;
  readonly type: 'restore';
  readonly phase: 'started' | 'done' | 'abandoned';
  readonly node: NodeId;
  readonly from: NodeId;
  readonly upToLsn: number;
  readonly bytes: number;
  readonly readyAtMs: number;
  readonly text: string;
};

/**
 * The watcher problem, said when it bites: `node` died (or the last orchestrator did) and no living
 * orchestrator is left to notice it and replace it. Emitted by the kernel, which alone sees everyone.
 */
export type UnwatchedTraceEvent = {
  readonly atMs: number;
  readonly type: 'unwatched';
  readonly node: NodeId;
  readonly text: string;
};

export type TraceEvent =
  | NodeTraceEvent
  | UnwatchedTraceEvent
  | RestoreTraceEvent
  | FaultTraceEvent
  | LifecycleTraceEvent
  | ProposeTraceEvent
  | DatabaseTraceEvent;
