// Proves that a Raft snapshot keeps the agent's state: over random logs of lease renewals (with and without a sync naming, of several primaries and epochs), failover plans, membership, the workload's commands and other entries, an agent restored from the snapshot's kept entries (at boot or on top of what it applied already) has exactly the state of one that applied the whole log, and the kept entries are few.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialContext, onMember } from '../../../src/sim/machines/orchestrator/logic';
import { dutiesOnMember } from '../../../src/sim/machines/orchestrator/duties';
import { workloadCommand } from '../../../src/sim/machines/orchestrator/log-commands';
import { restoreSnapshot, retainedEntries } from '../../../src/sim/machines/orchestrator/snapshot';
import type { AgentContext } from '../../../src/sim/machines/orchestrator/types';
import type { AppliedEntryView, NodeTrace } from '../../../src/sim/machines/protocol';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';
import { propertyOptions } from '../../support/property';

const topology = { ...TEST_TOPOLOGY, servers: 0, database: { standbys: [{ replication: 'sync' as const, region: 'primary' as const }, { replication: 'async' as const, region: 'primary' as const }], witness: false } };

function fresh(): AgentContext {
  return initialContext({ id: 'orch-2', peers: [], disk: null, settings: TEST_SETTINGS, topology });
}

function take(ctx: AgentContext, event: NodeTrace): AgentContext {
  const a = onMember(ctx, event);
  const d = dutiesOnMember(ctx, event);
  return { ...ctx, ...a.patch, ...d.patch };
}

/** The agent a member's boot (role in a term above 0), then the applied entries, leave behind. */
function applyAll(ctx: AgentContext, entries: readonly AppliedEntryView[]): AgentContext {
  let now = ctx;
  for (const e of entries) now = take(now, { type: 'apply', index: e.index, term: e.term, cmd: e.cmd });
  return now;
}

/** What the log decides of an agent (its volatile health checks aside). */
function logState(ctx: AgentContext) {
  const { primary, epoch, highestEpoch, logEpoch, syncLog, plan, dbs, duties } = ctx;
  return { primary, epoch, highestEpoch, logEpoch, syncLog, plan, replaced: dbs.replaced, inService: dbs.inService, nextDb: dbs.nextDb, members: duties.members, lastApplied: duties.replay.lastApplied };
}

const db = fc.constantFrom('db-1', 'db-2', 'db-3');
const epoch = fc.integer({ min: 1, max: 4 });
const command = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(db, epoch, fc.option(fc.tuple(epoch, fc.integer({ min: 1, max: 5 })))).map(([p, e, s]) => `lease ${p} ${e} orch-1#1.3${s ? ` sync ${s[0]}.${s[1]}` : ''}`) },
  { weight: 2, arbitrary: fc.tuple(db, db, epoch).map(([from, to, e]) => `failover ${from} ${to} ${e} 100/1`) },
  { weight: 1, arbitrary: fc.constantFrom('(no-op)', 'config add orch-4', 'config remove orch-4', 'hello') },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 999 }).map(workloadCommand) },
);

function indexed(cmds: readonly string[]): AppliedEntryView[] {
  return cmds.map((cmd, k) => ({ index: k + 1, term: 1, cmd }));
}

describe('the agent as the Raft log’s state machine', () => {
  it('restored from a snapshot, it has the state of an agent that applied the whole log', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), fc.nat({ max: 60 }), fc.nat({ max: 60 }), (cmds, cut, seen) => {
        const log = indexed(cmds);
        const at = Math.min(cut, log.length);
        // Two snapshots in a row, as a node compacts again later: the second starts from the first's kept entries.
        const kept = retainedEntries(retainedEntries([], log.slice(0, Math.floor(at / 2))), log.slice(Math.floor(at / 2), at));
        const booted = take(fresh(), { type: 'role', role: 'follower', term: 3, reason: 'restarted from disk' });
        const whole = applyAll(booted, log.slice(0, at));
        // A node restarted from disk, or a follower that had applied `seen` entries before the install.
        for (const before of [0, Math.min(seen, at)]) {
          const start = applyAll(booted, log.slice(0, before));
          const restored = { ...start, ...restoreSnapshot(start, { type: 'commit', index: at, term: 1, restored: kept }).patch };
          expect(logState(restored)).toEqual({ ...logState(whole), lastApplied: at });
          // And the entries after the snapshot then act on both alike.
          expect(logState(applyAll(restored, log.slice(at)))).toEqual(logState(applyAll(whole, log.slice(at))));
        }
      }),
      propertyOptions(300),
    );
  });

  it('keeps a day of lease renewals as one entry', () => {
    const log = indexed(Array.from({ length: 86_400 }, (_, k) => `lease db-1 1 orch-1#1.${k} sync 1.1`));
    expect(retainedEntries([], log).map((e) => e.index)).toEqual([86_400]);
  });

  it("keeps none of a day's workload commands, and the leases between them still as one entry", () => {
    const log = indexed(Array.from({ length: 2 * 86_400 }, (_, k) => (k % 2 === 0 ? workloadCommand(k) : `lease db-1 1 orch-1#1.${k} sync 1.1`)));
    expect(retainedEntries([], log).map((e) => e.index)).toEqual([2 * 86_400]);
  });
});
