/**
 * The orchestrator agent as an XState statechart. Its states are where the database's failover
 * stands: `watching` (no failover under way), then `confirming` (proposed to the log), `resuming`
 * (taken over from an earlier leader), `draining` (a switchover), `fencing`, `fence-failed`,
 * `lease-wait`, `promoting`, and `done` once the new primary takes writes; `following` while the
 * log holds a failover another agent carries out. Detecting is the move out of `watching`;
 * redirecting, the move from `promoting` to `done`.
 *
 * Each event is handled by the state the agent is in (a fence's result only while fencing, the
 * lease running out promotes only in `lease-wait`, a plain expiry elsewhere), as a step of the pure
 * rules in logic.ts, and the guarded transitions then take the agent to the step the plan reached:
 * every state leaves through `next-step` as soon as the plan is no longer at its step, and
 * `next-step` picks the state the plan is at now (one step may go several: a commit that needs no
 * fence goes from `confirming` straight to `promoting`). The servers' and workers' duties
 * (duties.ts) run beside it in every state. Every message, timer, proposal, fence and trace leaves
 * as an emitted effect.
 */
import { enqueueActions, setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import { isMessage, perform } from '../step';
import * as agent from './logic';
import * as duties from './duties';
import { isSnapshotRestore, restoreSnapshot } from './snapshot';
import type { AgentContext, AgentMessage, PlanStep } from './types';

/** Where the plan stands, as the agent's state: `watching` while there is none. */
export type PlanState = PlanStep | 'watching' | 'following';

export function planState(ctx: AgentContext): PlanState {
  if (ctx.plan === null) return 'watching';
  // A plan the log holds while another agent leads: this one knows of it and does nothing.
  if (ctx.plan.step !== 'done' && ctx.settings.quorum && !ctx.leading) return 'following';
  return ctx.plan.step;
}

/** The states that follow where the plan stands, in the order `next-step` tries them. */
const PLAN_STATES: readonly PlanState[] = ['confirming', 'resuming', 'draining', 'fencing', 'fence-failed', 'lease-wait', 'promoting', 'done', 'following', 'watching'];


export const agentMachine = setup({
  types: nodeMachineTypes<AgentContext, AgentMessage, null>(),
  guards: {
    planAt: ({ context }, params: { step: PlanState }) => planState(context) === params.step,
    planLeft: ({ context }, params: { step: PlanState }) => planState(context) !== params.step,
    isDutyTimer: ({ event }) => event.type === 'timer' && event.name.startsWith('duty-'),
    isLeaseGuardTimer: ({ event }) => event.type === 'timer' && event.name === agent.TIMER.leaseGuard,
    isHealthReply: ({ event }) => isMessage(event, 'HealthReply'),
    isServerCheck: ({ event }) => isMessage(event, 'ServerCheck'),
    isServerOk: ({ event }) => isMessage(event, 'ServerOk'),
    isDutyPropose: ({ event }) => isMessage(event, 'DutyPropose'),
    isLbAck: ({ event }) => isMessage(event, 'LbAck'),
    isOperatorRequest: ({ event }) => isMessage(event, 'OperatorRequest'),
  },
  actions: {
    // The two jobs (the database's failover in logic.ts, the servers and workers in duties.ts)
    // change disjoint parts of the context, so each step reads the context as the event found it.
    boot: enqueueActions(({ context, enqueue }) => {
      perform(enqueue, context, agent.boot(context));
      perform(enqueue, context, duties.bootDuties(context));
    }),
    member: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'member') return;
      // Log compaction's hook (snapshot.ts): a snapshot the member loaded, applied as a whole.
      if (isSnapshotRestore(event.event)) return perform(enqueue, context, restoreSnapshot(context, event.event));
      perform(enqueue, context, agent.onMember(context, event.event));
      perform(enqueue, context, duties.dutiesOnMember(context, event.event));
    }),
    memberReply: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'member-reply') return;
      perform(enqueue, context, agent.onMemberReply(context, event.cmd, event.accepted));
      perform(enqueue, context, duties.dutiesOnMemberReply(context, event.cmd, event.accepted));
    }),
    dutyTimer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer') perform(enqueue, context, duties.dutiesOnTimer(context, event.name));
    }),
    timer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer') perform(enqueue, context, agent.onTimer(context, event.name));
    }),
    leaseOverWhileWaiting: enqueueActions(({ context, enqueue }) => perform(enqueue, context, agent.onLeaseOverWhileWaiting(context))),
    leaseOverWhileDraining: enqueueActions(({ context, enqueue }) => perform(enqueue, context, agent.onLeaseOverWhileDraining(context))),
    healthReply: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'HealthReply')) perform(enqueue, context, agent.onReply(context, event.from, event.msg));
    }),
    serverCheck: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'ServerCheck')) perform(enqueue, context, duties.dutiesOnCheck(context, event.from, event.msg.seq));
    }),
    serverOk: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'ServerOk')) perform(enqueue, context, duties.dutiesOnOk(context, event.from, event.msg.seq));
    }),
    dutyPropose: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'DutyPropose')) perform(enqueue, context, duties.dutiesOnPropose(context, event.msg.cmd));
    }),
    lbAck: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'LbAck')) perform(enqueue, context, duties.dutiesOnLbAck(context, event.msg.server, event.msg.listed));
    }),
    operatorRequest: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'OperatorRequest')) perform(enqueue, context, agent.onOperator(context, event.msg));
    }),
    fenceResult: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'fence-result') perform(enqueue, context, agent.onFenceResult(context, event.node, event.ok, event.reason));
    }),
    cloudStatus: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'cloud-status') perform(enqueue, context, agent.onCloudStatus(context, event.node, event.up, event.diskLost, event.dark));
    }),
  },
}).createMachine({
  id: 'orchestrator-agent',
  context: ({ input }) => agent.initialContext(input),
  entry: 'boot',
  initial: 'watching',
  // What every state takes alike; a state's own handler of an event comes first.
  on: {
    member: { actions: 'member' },
    'member-reply': { actions: 'memberReply' },
    timer: [{ guard: 'isDutyTimer', actions: 'dutyTimer' }, { actions: 'timer' }],
    message: [
      { guard: 'isHealthReply', actions: 'healthReply' },
      { guard: 'isServerCheck', actions: 'serverCheck' },
      { guard: 'isServerOk', actions: 'serverOk' },
      { guard: 'isDutyPropose', actions: 'dutyPropose' },
      { guard: 'isLbAck', actions: 'lbAck' },
      { guard: 'isOperatorRequest', actions: 'operatorRequest' },
    ],
    'cloud-status': { actions: 'cloudStatus' },
  },
  states: {
    watching: {
      description: 'No failover under way: it renews the primary’s lease through the log and checks every database node; enough failed checks in a row and it detects a failure',
      always: leaving('watching'),
    },
    confirming: {
      description: 'The failover is proposed to the orchestrators’ log: nothing is done until a majority commits it',
      always: leaving('confirming'),
    },
    resuming: {
      description: 'It took over a failover an earlier leader decided: one health check of the target shows whether it is done already',
      always: leaving('resuming'),
    },
    draining: {
      description: 'A switchover: the primary takes no new writes until the target has caught up with it',
      on: { timer: [{ guard: 'isLeaseGuardTimer', actions: 'leaseOverWhileDraining' }] },
      always: leaving('draining'),
    },
    fencing: {
      description: 'STONITH: it asked for the old primary to be powered off out of band, and waits for the answer',
      on: { 'fence-result': { actions: 'fenceResult' } },
      always: leaving('fencing'),
    },
    'fence-failed': {
      description: 'The fence could not be done, so nothing is promoted; it tries again after each fresh check of the old primary',
      on: { 'fence-result': { actions: 'fenceResult' } },
      always: leaving('fence-failed'),
    },
    'lease-wait': {
      description: 'Fencing is off: it waits until the old primary’s lease has surely run out before promoting',
      on: { timer: [{ guard: 'isLeaseGuardTimer', actions: 'leaseOverWhileWaiting' }] },
      always: leaving('lease-wait'),
    },
    promoting: {
      description: 'Promote sent: it waits for a health reply that shows the target writable in the new epoch, then redirects',
      always: leaving('promoting'),
    },
    done: {
      description: 'The new primary takes writes: it is watched like any primary until the next failure',
      always: leaving('done'),
    },
    following: {
      description: 'A failover the log holds is under way, carried out by the leading agent; this one knows of it, and resumes it if its member comes to lead',
      always: leaving('following'),
    },
    'next-step': {
      description: 'Passing through: the step just taken moved the plan, and the agent goes at once to where the plan stands now',
      always: PLAN_STATES.map((step) => ({ guard: { type: 'planAt' as const, params: { step } }, target: step })),
    },
  },
});

/** A state is left as soon as the plan is no longer at its step. */
function leaving(step: PlanState) {
  return { guard: { type: 'planLeft' as const, params: { step } }, target: 'next-step' as const };
}

export type AgentMachine = typeof agentMachine;
