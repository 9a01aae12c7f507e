// A runner takes a step's effects straight from the step (`collectingEffects` in
// src/sim/machines/step.ts) instead of as events the actor emits. The two must give the same
// effects in the same order, and an actor run on its own (as machine tests run one) must still
// emit them, also after a runner's actor failed mid-step.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { ActorRunner } from '../../../src/sim/machines/actor-runner';
import type { Effect, EffectBatch, NodeEvent } from '../../../src/sim/machines/protocol';
import { raftProgram } from '../../../src/sim/machines/raft/program';
import type { RaftMessage } from '../../../src/sim/machines/raft/types';
import { collectingEffects } from '../../../src/sim/machines/step';
import { SETTINGS } from '../raft/harness';
import { TEST_TOPOLOGY } from '../../support/settings';

const INPUT = { id: 'orch-1', peers: ['orch-2', 'orch-3'], disk: null, settings: SETTINGS, topology: TEST_TOPOLOGY };

/** A candidate's whole life to leader and a few rounds as one: timers, votes, proposals, acks. */
const EVENTS: NodeEvent<RaftMessage>[] = [
  { type: 'timer', name: 'election' },
  { type: 'message', from: 'orch-2', msg: { type: 'RequestVoteReply', term: 1, granted: true, preVote: false, requestTerm: 1 } },
  { type: 'propose', cmd: 'a' },
  { type: 'propose', cmd: 'b' },
  { type: 'message', from: 'orch-2', msg: { type: 'AppendEntriesReply', term: 1, success: true, matchIndex: 3, conflictIndex: 0, conflictTerm: null } },
  { type: 'timer', name: 'heartbeat' },
  { type: 'message', from: 'orch-3', msg: { type: 'AppendEntries', term: 2, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 } },
];

/** The effects of each event (the start first) as the actor emits them, a batch unpacked. */
function emitted(): Effect[][] {
  const actor = createActor(raftProgram.machine, { input: INPUT });
  let now: Effect[] = [];
  actor.on('*', (e: Effect | EffectBatch) => {
    if (e.type === 'effects') now.push(...e.effects);
    else now.push(e);
  });
  actor.start();
  const out = [now];
  for (const event of EVENTS) {
    now = [];
    actor.send(event);
    out.push(now);
  }
  actor.stop();
  return out;
}

function collected(): Effect[][] {
  const runner = new ActorRunner('orch-1', raftProgram);
  const out = [runner.start(INPUT, 0)];
  for (const event of EVENTS) out.push(runner.deliver(event, 0));
  runner.stop();
  return out;
}

describe("a runner's collected effects", () => {
  it('are the effects the actor emits on its own, event by event, in the same order', () => {
    const alone = emitted();
    expect(alone.flat().length).toBeGreaterThan(10);
    expect(alone.flat().filter((e) => e.type === 'send').length).toBeGreaterThan(4);
    expect(collected()).toEqual(alone);
  });

  it('stop being collected once the runner is done: an actor run on its own afterwards emits them again', () => {
    collected();
    const actor = createActor(raftProgram.machine, { input: INPUT });
    const heard: unknown[] = [];
    actor.on('*', (e) => heard.push(e));
    actor.start();
    actor.send({ type: 'timer', name: 'election' });
    expect(heard.length).toBeGreaterThan(0);
    actor.stop();
  });

  it('stop being collected after a body that threw', () => {
    const sink: Effect[] = [];
    expect(() =>
      collectingEffects(sink, () => {
        throw new Error('a step failed');
      }),
    ).toThrow('a step failed');
    const actor = createActor(raftProgram.machine, { input: INPUT });
    const heard: unknown[] = [];
    actor.on('*', (e) => heard.push(e));
    actor.start();
    expect(heard.length).toBeGreaterThan(0);
    expect(sink).toEqual([]);
    actor.stop();
  });
});
