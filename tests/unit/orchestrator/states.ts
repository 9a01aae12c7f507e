/**
 * The failover agent brought to one of its states by hand (tests/unit/orchestrator/*-by-state.test.ts),
 * and its state read back.
 */
import { expect } from 'vitest';
import type { Settings } from '../../../src/sim/scenario/types';
import { AgentHarness } from './harness';

/** The agent's state; a move raised where no state takes it would have stopped the actor. */
export function state(a: AgentHarness): unknown {
  const snapshot = a.actor.getSnapshot();
  expect(snapshot.status, String(snapshot.error)).toBe('active');
  return snapshot.value;
}

/** Whether db-2 was asked to become primary since `mark`. */
export function promotes(a: AgentHarness, mark: number): boolean {
  return a.sent(mark, 'db-2').some((s) => s.msg.type === 'Promote');
}

/** A leader whose primary db-1 failed three rounds: the failover db-1 → db-2 in epoch 2 is proposed (`confirming`). */
export function proposed(settings: Partial<Settings> = {}): AgentHarness {
  const a = new AgentHarness({ settings });
  a.role('leader');
  for (let k = 0; k < 3; k++) a.failedRound();
  expect(state(a)).toBe('confirming');
  return a;
}

/** The failover applied: the old primary's fence is asked for (`fencing`). */
export function fencing(): AgentHarness {
  const a = proposed();
  a.apply('failover db-1 db-2 2');
  expect(state(a)).toBe('fencing');
  return a;
}

/** `fencing`, this round's checks of db-1 and db-2 sent. */
export function fencingChecked(): AgentHarness {
  const a = fencing();
  a.fire('tick');
  return a;
}

/** A healthy primary db-1 and a standby db-2 at `flushLsn` 1000, both answering, then the operator's switchover to db-2 applied (`draining`). */
export function draining(): AgentHarness {
  const a = new AgentHarness();
  a.role('leader');
  a.apply(a.lastLeaseProposal());
  a.reply('db-1', { role: 'primary', writable: true, flushLsn: 1000 });
  a.reply('db-2', { flushLsn: 1000 });
  a.actor.send({ type: 'message', from: 'orch-2', msg: { type: 'OperatorRequest', action: 'switchover', node: 'db-2' } });
  a.apply(a.proposals().at(-1)!);
  expect(state(a)).toBe('draining');
  return a;
}

/** A follower that knows of the failover db-1 → db-2 in epoch 2 from the log, then leads: it takes it over (`resuming`), its first round's checks sent. */
export function resuming(settings: Partial<Settings> = {}): AgentHarness {
  const a = new AgentHarness({ settings });
  a.role('follower');
  a.apply('failover db-1 db-2 2');
  a.role('leader');
  expect(state(a)).toBe('resuming');
  return a;
}
