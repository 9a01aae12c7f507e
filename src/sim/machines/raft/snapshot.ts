/**
 * Log compaction (the Raft dissertation's chapter 5). Each node, on its own, replaces the applied
 * prefix of its log by a snapshot once `settings.raftSnapshotEvery` entries were applied since its
 * last one (leaving the last few applied in the log for followers just behind): the last included
 * index and term, the configuration at that index, and the state machine's state (types.ts,
 * `RaftSnapshot`). A leader that must send a follower entries it has
 * compacted away sends its snapshot instead (InstallSnapshot, Figure 5.3); the follower keeps the
 * entries after the snapshot if its log agrees with it there, else drops its whole log.
 *
 * A loaded snapshot reaches the state machine (the agent beside the member) as a `commit` trace
 * with the snapshot's entries `restored`: at boot from a disk that has one, and on an install.
 */
import type { NodeId } from '../protocol';
import { retainedEntries } from '../orchestrator/snapshot';
import { configurationOf, readConfigEntries, type Configuration } from './membership';
import { entryAt, lastIndex, snapshotIndex, termAt } from './log';
import type { Step as MachineStep } from '../step';
import type { IndexedEntry, InstallSnapshot, RaftContext, RaftDisk, RaftEffect, RaftMessage, RaftSnapshot } from './types';

type Step = MachineStep<RaftContext, RaftMessage>;

function trace(event: Extract<RaftEffect, { type: 'trace' }>['event']): RaftEffect {
  return { type: 'trace', event };
}

/** The configuration in force at `index` (at or after the snapshot): the snapshot's, changed by the config entries up to `index`. */
function configurationAt(ctx: RaftContext, index: number): Configuration {
  const disk = ctx.disk;
  if (ctx.configIndex <= index) return { members: ctx.members, index: ctx.configIndex };
  const base = disk.snapshot;
  const start: Configuration = base ? { members: base.members, index: base.configIndex } : { members: ctx.firstMembers, index: 0 };
  const upTo = disk.log.slice(0, index - snapshotIndex(disk));
  return readConfigEntries(start, upTo, snapshotIndex(disk) + 1, snapshotIndex(disk));
}

/**
 * How many of the last applied entries a snapshot leaves in the log (at most; half the interval
 * when it is small), as etcd keeps some for catching up: a follower just behind, or a refusal that
 * overtook an append on the way, is then sent those entries rather than the whole snapshot.
 */
const CATCH_UP_ENTRIES = 64;

/**
 * When `raftSnapshotEvery` applied entries lie between the last snapshot and the few kept for
 * catching up: the disk with that prefix compacted (a `snapshot` trace in `effects`); else null.
 * Called after every apply, with the node's context and the last index now applied.
 */
export function compactIfDue(ctx: RaftContext, lastApplied: number, effects: RaftEffect[]): RaftDisk | null {
  const disk = ctx.disk;
  const base = snapshotIndex(disk);
  const every = ctx.settings.raftSnapshotEvery;
  const upTo = lastApplied - Math.min(CATCH_UP_ENTRIES, Math.floor(every / 2));
  if (upTo - base < every) return null;
  const applied: IndexedEntry[] = [];
  for (let index = base + 1; index <= upTo; index++) {
    const { term, cmd } = entryAt(disk, index);
    applied.push({ index, term, cmd });
  }
  const config = configurationAt(ctx, upTo);
  const snapshot: RaftSnapshot = {
    index: upTo,
    term: termAt(disk, upTo),
    members: config.members,
    configIndex: config.index,
    retained: retainedEntries(disk.snapshot?.retained ?? [], applied),
  };
  effects.push(trace({ type: 'snapshot', index: upTo, term: snapshot.term, kept: snapshot.retained.map((entry) => entry.index) }));
  // A new array: the old disk object, wherever it is still held, keeps a log that matches it.
  return { ...disk, log: disk.log.slice(upTo - base), snapshot };
}

export function installSnapshotMessage(ctx: RaftContext): InstallSnapshot {
  return { type: 'InstallSnapshot', term: ctx.disk.currentTerm, snapshot: ctx.disk.snapshot! };
}

/** The `commit` that hands a loaded snapshot to the state machine. */
function restoreTrace(snapshot: RaftSnapshot): RaftEffect {
  return trace({ type: 'commit', index: snapshot.index, term: snapshot.term, restored: snapshot.retained });
}

/** At boot from a disk with a snapshot: the state machine is given the snapshot (after the first role, which a restart's replay reads). */
export function restoreAtBoot(ctx: RaftContext): Step {
  if (!ctx.restoreAtBoot || !ctx.disk.snapshot) return { patch: {}, effects: [] };
  return { patch: { restoreAtBoot: false }, effects: [restoreTrace(ctx.disk.snapshot)] };
}

/**
 * A follower takes its leader's snapshot (Figure 5.3, receiver rules 6–8). One it already covers
 * (at or below its commit index) changes nothing; else its log up to the snapshot is replaced: the
 * entries after it kept if its log holds the snapshot's last entry with the same term, all dropped
 * otherwise. Either way it answers with the snapshot's index as its match.
 */
export function acceptInstallSnapshot(ctx: RaftContext, from: NodeId, msg: InstallSnapshot, heard: { readonly patch: Partial<RaftContext>; readonly effects: RaftEffect[] }): Step {
  const snap = msg.snapshot;
  const effects = heard.effects;
  let patch = heard.patch;
  if (snap.index > ctx.commitIndex) {
    const disk = ctx.disk;
    const keepsSuffix = lastIndex(disk) >= snap.index && snap.index >= snapshotIndex(disk) && termAt(disk, snap.index) === snap.term;
    const log = keepsSuffix ? disk.log.slice(snap.index - snapshotIndex(disk)) : [];
    const installed: RaftDisk = { ...disk, log, snapshot: snap };
    const config = configurationOf(ctx.firstMembers, log, snap);
    effects.push(trace({ type: 'install-snapshot', index: snap.index, term: snap.term, from, logAfter: log.length, members: snap.members }));
    effects.push(restoreTrace(snap));
    patch = {
      ...patch,
      disk: installed,
      commitIndex: snap.index,
      lastApplied: snap.index,
      members: config.members,
      configIndex: config.index,
      peers: config.members.filter((member) => member !== ctx.id),
    };
  }
  effects.push({ type: 'send', to: from, msg: { type: 'AppendEntriesReply', term: ctx.disk.currentTerm, success: true, matchIndex: snap.index, conflictIndex: 0, conflictTerm: null } });
  return { patch, effects };
}
