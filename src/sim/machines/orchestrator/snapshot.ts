/**
 * The agent as the state machine of its Raft member's log, for log compaction (dissertation
 * chapter 5). Two halves:
 *
 * - `retainedEntries`: what a snapshot keeps of the applied entries. The agent's state read from the
 *   log is rebuilt by replaying entries in order, so a snapshot keeps the entries that still change
 *   that state and drops the rest: no-ops, the workload's commands (`op-N`, which no part of the
 *   agent reads; kept, they would make a snapshot grow with every proposal), and lease renewals made
 *   redundant by a later one in the same run of leases (no other entry between them but those
 *   dropped). Within such a run, applying the leases only raises the sync naming to its highest,
 *   sets the primary and epoch from the last lease of the highest epoch, raises the epochs seen to
 *   that epoch, and marks a failover plan done when a lease names its target and epoch; keeping the
 *   last lease of each primary and epoch and the last with the run's highest naming gives the same
 *   state. Everything else (failover plans, membership, assignments, replacements…) is kept: those
 *   are few, one per event of the scenario, while leases come every second.
 * - `restoreSnapshot`: a snapshot loaded by the member (at boot, or installed from its leader)
 *   reaches the agent as a `commit` with the entries `restored`; the agent applies those it has not
 *   applied yet, as if its member applied them now, and then stands at the snapshot's index.
 */
import type { AppliedEntryView, NodeTrace } from '../protocol';
import { NO_STEP } from '../step';
import { isWorkloadCommand } from './log-commands';
import * as agent from './logic';
import * as duties from './duties';
import type { AgentContext, AgentEffect, MoveName } from './types';

const NO_OP = '(no-op)';

type Lease = Extract<ReturnType<typeof agent.parseCommand>, { kind: 'lease' }>;

function leaseOf(cmd: string): Lease | null {
  if (!cmd.startsWith('lease ')) return null;
  const command = agent.parseCommand(cmd);
  return command?.kind === 'lease' ? command : null;
}

function syncAbove(a: Lease['sync'], b: Lease['sync']): boolean {
  return a !== null && (b === null || a.epoch > b.epoch || (a.epoch === b.epoch && a.gen > b.gen));
}

/** The leases of one run worth keeping, in log order (see the file's comment). */
function keptLeases(run: readonly { readonly entry: AppliedEntryView; readonly lease: Lease }[]): AppliedEntryView[] {
  const keep = new Set<number>();
  const lastOfKey = new Map<string, number>();
  let best: { readonly at: number; readonly sync: Lease['sync'] } | null = null;
  run.forEach(({ lease }, at) => {
    lastOfKey.set(`${lease.primary} ${lease.epoch}`, at);
    // The last of those with the highest naming (ties: a later one serves as well, and is often kept anyway).
    if (lease.sync !== null && !syncAbove(best?.sync ?? null, lease.sync)) best = { at, sync: lease.sync };
  });
  for (const at of lastOfKey.values()) keep.add(at);
  if (best !== null) keep.add((best as { readonly at: number }).at);
  return run.filter((_, at) => keep.has(at)).map(({ entry }) => entry);
}

/**
 * The entries a snapshot keeps: `retained` (the previous snapshot's) followed by `applied` (the
 * entries applied since, in order), less those that no longer change the agent's state.
 */
export function retainedEntries(retained: readonly AppliedEntryView[], applied: readonly AppliedEntryView[]): AppliedEntryView[] {
  const out: AppliedEntryView[] = [];
  let run: { entry: AppliedEntryView; lease: Lease }[] = [];
  const endRun = (): void => {
    if (run.length > 0) out.push(...keptLeases(run));
    run = [];
  };
  for (const list of [retained, applied]) {
    for (const entry of list) {
      if (entry.cmd === NO_OP || isWorkloadCommand(entry.cmd)) continue;
      const lease = leaseOf(entry.cmd);
      if (lease !== null) {
        run.push({ entry, lease });
        continue;
      }
      endRun();
      out.push(entry);
    }
  }
  endRun();
  return out;
}

/** A `commit` that carries a snapshot's entries: the agent restores from it. */
export function isSnapshotRestore(event: NodeTrace): event is Extract<NodeTrace, { type: 'commit' }> & { restored: readonly AppliedEntryView[] } {
  return event.type === 'commit' && event.restored !== undefined;
}

/** One `member` event as the agent's machine takes it: its failover part, then its duties, on the same context. */
function memberStep(ctx: AgentContext, event: NodeTrace): agent.Step {
  const a = agent.onMember(ctx, event);
  const d = duties.dutiesOnMember(ctx, event);
  return { patch: { ...a.patch, ...d.patch }, effects: [...a.effects, ...d.effects], moves: a.moves ?? [] };
}

/**
 * The agent takes a snapshot its member loaded: the commit first (what a restart reads its replay
 * bounds from), then each kept entry it has not applied yet, in order, then it stands at the
 * snapshot's index.
 */
export function restoreSnapshot(ctx: AgentContext, event: Extract<NodeTrace, { type: 'commit' }> & { restored: readonly AppliedEntryView[] }): agent.Step {
  if (!ctx.active) return NO_STEP;
  const effects: AgentEffect[] = [];
  // The statechart's moves each entry made, raised in order once the whole snapshot is taken.
  const moves: MoveName[] = [];
  let now = ctx;
  const take = (e: NodeTrace): void => {
    const step = memberStep(now, e);
    now = { ...now, ...step.patch };
    effects.push(...step.effects);
    moves.push(...(step.moves ?? []));
  };
  take({ type: 'commit', index: event.index, term: event.term });
  for (const entry of event.restored) {
    const replay = now.duties.replay;
    if (entry.index <= replay.lastApplied) continue;
    // Whether this entry is a re-read one, which the database's part reads before the entry (the
    // entries between are compacted away, so the member's usual guess of index + 1 does not hold).
    const next = replay.through !== null && entry.index <= replay.through;
    if (next !== replay.next) now = { ...now, duties: { ...now.duties, replay: { ...replay, next } } };
    take({ type: 'apply', index: entry.index, term: entry.term, cmd: entry.cmd });
  }
  const replay = now.duties.replay;
  if (replay.lastApplied < event.index) {
    const through = replay.through;
    now = { ...now, duties: { ...now.duties, replay: { ...replay, lastApplied: event.index, next: through !== null && event.index + 1 <= through } } };
  }
  return { patch: now, effects, moves };
}
