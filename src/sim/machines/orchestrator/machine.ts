/**
 * The orchestrator agent as an XState statechart. Its states are where the database's failover
 * stands: `watching` (no failover under way), `confirming` (proposed to the log), `resuming`
 * (taken over from an earlier leader), `draining` (a switchover), `fencing`, `fence-failed`,
 * `lease-wait`, `promoting`, and `done` once the new primary takes writes; `following` while the
 * log holds a failover another agent carries out. Detecting is the move out of `watching`;
 * redirecting, the move from `promoting` to `done`.
 *
 * An event is taken by the states that care about it: a fence's result only in `fencing` and
 * `fence-failed` (done, or refused: guarded; refused, `fencing` goes to `fence-failed` at once),
 * the lease running out promotes only in `lease-wait` and gives a switchover up only in `draining`.
 * A health reply is recorded, then counted for or against its node, alike in every state (the
 * root's `healthReply`); the states that act on it name, with a guard, whose reply they take, and
 * their action runs its own part between the two (health.ts):
 *
 * - `resuming`: the target's reply shows whether the failover is done already (redirect), its epoch
 *   used up, or the target unfit (abandoned); otherwise the plan goes on to its next step.
 * - `draining`: the target's reply, as in every later step; then any reply may show the target
 *   caught up with the old primary, and the target is promoted.
 * - `fencing`, `lease-wait`, `promoting`: the target's reply may show it took over (redirect; in
 *   `promoting` the one expected), its epoch used up, or it unfit.
 * - `fence-failed`: the same for the target; the old primary's reply, or its unasked word that it
 *   restarted demoted, has the fence tried again on what it says now.
 * - `watching`, `confirming`, `done`, `following`: none of their own (a reply of the would-be
 *   target while the plan is only proposed redirects nothing).
 *
 * A check left unanswered is counted against its node alike in every state (the root's `timer`),
 * which may give the plan up (its target stopped answering); unless it did, the states that act on
 * it run their own part after (health.ts): `resuming` takes the plan on to its next step without the
 * target's answer, `fence-failed` tries the fence again without the old primary's. Each round every
 * state checks every node and renews the lease alike; `promoting` also sends the Promote again, in
 * case it was lost (logic.ts). A failure counted (a reply as no writable primary, a timeout, or a
 * round that finds a check still unanswered) gives a switchover up only in `draining`, where the old
 * primary failing too often in a row ends it (failover-steps.ts): its reply, timeout and round
 * handlers hand that part to the shared rule, which runs it only if nothing earlier in the same
 * event moved the plan on (a reply that shows the target caught up has promoted it already).
 *
 * The other timers and the member's reports serve every step and are taken alike. Each action is a pure rule
 * (logic.ts and the files it gathers), and each time the rule moves the failover on it says so with
 * a move (`fence-asked`, `promote-sent`, `redirected`, `abandoned`, … types.ts), raised once the
 * step is done. Each state names the moves it takes and where they lead (`confirming`
 * --fence-asked--> `fencing`, --lease-awaited--> `lease-wait`, --promote-sent--> `promoting`;
 * `fencing` --fence-refused--> `fence-failed`; `promoting` --redirected--> `done`; …): one event may
 * make several (a commit that needs no fence goes from `confirming` straight to `promoting`; an
 * abandoned plan made again goes back to `confirming`). A move no state takes throws: the plan's
 * step (kept for the page and the log's replay) and the state cannot part
 * (tests/unit/orchestrator/statechart-agrees.test.ts). The servers' and workers' duties (duties.ts)
 * run beside it in every state. Each action carries out its rule's step as an `act` (`stepAction`
 * in step.ts); every message, timer, proposal, fence and trace leaves as an effect.
 */
import { setup, type ParameterizedObject } from 'xstate';
import { nodeMachineTypes } from '../program';
import type { NodeEvent } from '../protocol';
import { inTurn, isMessage, stepAction, type RaisingStep } from '../step';
import { ANNOUNCEMENT_SEQ } from '../database/types';
import * as agent from './logic';
import * as duties from './duties';
import { isSnapshotRestore, restoreSnapshot } from './snapshot';
import type { AgentContext, AgentMessage, AgentMove, MoveName } from './types';

type AgentEvent = NodeEvent<AgentMessage> | AgentMove;
type AgentStep = RaisingStep<AgentContext, AgentMessage>;

/** An action carrying out the step a rule takes (`stepAction`), typed for this machine. */
function act<P extends ParameterizedObject['params'] | undefined = undefined>(rule: (context: AgentContext, event: AgentEvent, params: P) => AgentStep | null) {
  return stepAction<AgentContext, AgentEvent, P, AgentMessage>(rule);
}

/** A rule's step, with each move it made raised, in order, once it is carried out, for the states to take. */
function moving(step: agent.Step): AgentStep {
  const moves = step.moves;
  // Most steps make no move: they are carried out as they are, with no list of events to raise.
  if (moves === undefined || moves.length === 0) return step;
  return { patch: step.patch, effects: step.effects, raise: moves.map((type): AgentMove => ({ type })) };
}

/**
 * An action taking a health reply (or a former primary's announcement) by the rule every state
 * shares, with `own`, the part the state takes on its own (health.ts), run where it belongs within
 * that rule.
 */
function takeReply(own?: agent.ReplyPart, failure?: agent.FailurePart) {
  return act((context, event) => (isMessage(event, 'HealthReply') ? moving(agent.onReply(context, event.from, event.msg, own, failure)) : null));
}

/**
 * An action taking a check's timeout by the rule every state shares, with `own`, the part the state
 * takes on its own (health.ts), run after it, and `failure`, its part of the failure counted (failover-steps.ts).
 */
function takeTimeout(own?: agent.TimeoutPart, failure?: agent.FailurePart) {
  return act((context, event) =>
    event.type === 'timer' ? moving(agent.onCheckTimeout(context, event.name.slice(agent.TIMER.timeoutPrefix.length), own, failure)) : null,
  );
}

/**
 * No failover under way (`watching`, `done`): one starts, proposed to the log; or the log holds one,
 * carried out by this agent if it leads; or, with quorum off, this agent decides alone and goes to
 * the plan's first step at once.
 */
const idle = {
  proposed: 'confirming',
  'plan-in-log': 'following',
  resumed: 'resuming',
  'drain-asked': 'draining',
  'fence-asked': 'fencing',
  'promote-sent': 'promoting',
} as const;

/** The first step of a plan just committed (or taken over): a switchover drains, an operator's promotion promotes, any other fences (or waits for the lease). */
const firstSteps = {
  'drain-asked': 'draining',
  'fence-asked': 'fencing',
  'lease-awaited': 'lease-wait',
  'promote-sent': 'promoting',
} as const;

/**
 * Every step of a plan in the log: the target answers writable in the new epoch (redirected) or the
 * log shows it done; the plan is given up; the member stops leading; the log holds a newer plan.
 */
const underWay = {
  redirected: 'done',
  completed: 'done',
  abandoned: 'watching',
  'stepped-down': 'following',
  resumed: 'resuming',
} as const;

const MOVES: readonly MoveName[] = ['proposed', 'plan-in-log', 'resumed', 'forgotten', 'stepped-down', 'drain-asked', 'fence-asked', 'fence-refused', 'lease-awaited', 'promote-sent', 'redirected', 'completed', 'abandoned'];

/** What the root does with a move no state took: throw (`unexpectedMove`). */
function unexpected(): Record<MoveName, { actions: 'unexpectedMove' }> {
  return Object.fromEntries(MOVES.map((move) => [move, { actions: 'unexpectedMove' as const }])) as Record<MoveName, { actions: 'unexpectedMove' }>;
}

export const agentMachine = setup({
  types: { ...nodeMachineTypes<AgentContext, AgentMessage, null>(), events: {} as NodeEvent<AgentMessage> | AgentMove },
  guards: {
    isFenceDone: ({ event }) => event.type === 'fence-result' && event.ok,
    isFenceRefused: ({ context, event }) => event.type === 'fence-result' && !event.ok && agent.fenceOfPlan(context, event.node),
    isDutyTimer: ({ event }) => event.type === 'timer' && event.name.startsWith('duty-'),
    isLeaseGuardTimer: ({ event }) => event.type === 'timer' && event.name === agent.TIMER.leaseGuard,
    isRoundTimer: ({ event }) => event.type === 'timer' && event.name === agent.TIMER.tick,
    /** The timeout of a health check of a database node. */
    isCheckTimeout: ({ event }) => event.type === 'timer' && event.name.startsWith(agent.TIMER.timeoutPrefix),
    /** The timeout of a check of the plan's target. */
    isTargetTimeout: ({ context, event }) => event.type === 'timer' && event.name === agent.TIMER.timeoutPrefix + context.plan?.to,
    /** The timeout of a check of the plan's old primary. */
    isOldPrimaryTimeout: ({ context, event }) => event.type === 'timer' && event.name === agent.TIMER.timeoutPrefix + context.plan?.from,
    isHealthReply: ({ event }) => isMessage(event, 'HealthReply'),
    /** A reply to a check (not an announcement), from anyone. */
    isCheckReply: ({ event }) => isMessage(event, 'HealthReply') && event.msg.seq !== ANNOUNCEMENT_SEQ,
    /** A reply to a check from the plan's target. */
    isTargetReply: ({ context, event }) => isMessage(event, 'HealthReply') && event.msg.seq !== ANNOUNCEMENT_SEQ && event.from === context.plan?.to,
    /** A reply to a check, or an announcement, from the plan's old primary. */
    isOldPrimaryReply: ({ context, event }) => isMessage(event, 'HealthReply') && event.from === context.plan?.from,
    isServerCheck: ({ event }) => isMessage(event, 'ServerCheck'),
    isServerOk: ({ event }) => isMessage(event, 'ServerOk'),
    isDutyPropose: ({ event }) => isMessage(event, 'DutyPropose'),
    isLbAck: ({ event }) => isMessage(event, 'LbAck'),
    isOperatorRequest: ({ event }) => isMessage(event, 'OperatorRequest'),
  },
  actions: {
    // The two jobs (the database's failover in logic.ts and the files it gathers, the servers and
    // workers in duties.ts) change disjoint parts of the context, so each step reads the context as
    // the event found it, and the two are carried out in turn as one step (`inTurn`).
    boot: act((context) => inTurn(context, moving(agent.boot(context)), duties.bootDuties(context))),
    member: act((context, event) => {
      if (event.type !== 'member') return null;
      // Log compaction's hook (snapshot.ts): a snapshot the member loaded, applied as a whole.
      if (isSnapshotRestore(event.event)) return moving(restoreSnapshot(context, event.event));
      return inTurn(context, moving(agent.onMember(context, event.event)), duties.dutiesOnMember(context, event.event));
    }),
    memberReply: act((context, event) => {
      if (event.type !== 'member-reply') return null;
      return inTurn(context, moving(agent.onMemberReply(context, event.cmd, event.accepted)), duties.dutiesOnMemberReply(context, event.cmd, event.accepted));
    }),
    dutyTimer: act((context, event) => (event.type === 'timer' ? duties.dutiesOnTimer(context, event.name) : null)),
    timer: act((context, event) => (event.type === 'timer' ? moving(agent.onTimer(context, event.name)) : null)),
    roundWhilePromoting: act((context) => moving(agent.onTick(context, agent.promoteAgain))),
    targetUnheardWhileResuming: takeTimeout(agent.targetUnheardWhileResuming),
    oldPrimaryUnheardWhileFenceFailed: takeTimeout(agent.oldPrimaryUnheardWhileFenceFailed),
    leaseOverWhileWaiting: act((context) => moving(agent.onLeaseOverWhileWaiting(context))),
    leaseOverWhileDraining: act((context) => moving(agent.onLeaseOverWhileDraining(context))),
    healthReply: takeReply(),
    targetReply: takeReply(agent.targetAnswers),
    targetReplyWhileResuming: takeReply(agent.targetAnswersWhileResuming),
    targetReplyWhileDraining: takeReply(agent.targetAnswersWhileDraining, agent.oldPrimaryFailedWhileDraining),
    replyWhileDraining: takeReply(agent.anyAnswerWhileDraining, agent.oldPrimaryFailedWhileDraining),
    checkTimeoutWhileDraining: takeTimeout(undefined, agent.oldPrimaryFailedWhileDraining),
    roundWhileDraining: act((context) => moving(agent.onTick(context, undefined, agent.oldPrimaryFailedWhileDraining))),
    oldPrimaryReplyWhileFenceFailed: takeReply(agent.oldPrimaryAnswersWhileFenceFailed),
    serverCheck: act((context, event) => (isMessage(event, 'ServerCheck') ? duties.dutiesOnCheck(context, event.from, event.msg.seq) : null)),
    serverOk: act((context, event) => (isMessage(event, 'ServerOk') ? duties.dutiesOnOk(context, event.from, event.msg.seq) : null)),
    dutyPropose: act((context, event) => (isMessage(event, 'DutyPropose') ? duties.dutiesOnPropose(context, event.msg.cmd) : null)),
    lbAck: act((context, event) => (isMessage(event, 'LbAck') ? duties.dutiesOnLbAck(context, event.msg.server, event.msg.listed) : null)),
    operatorRequest: act((context, event) => (isMessage(event, 'OperatorRequest') ? moving(agent.onOperator(context, event.msg)) : null)),
    fenceDone: act((context, event) => (event.type === 'fence-result' ? moving(agent.onFenceDone(context, event.node, event.reason)) : null)),
    fenceRefused: act<{ again: boolean }>((context, event, params) =>
      event.type === 'fence-result' ? moving(agent.onFenceRefused(context, event.node, event.reason, params.again)) : null,
    ),
    /** A move no state here takes: the rules and the statechart disagree, which must never be. */
    unexpectedMove: ({ event, self }) => {
      throw new Error(`orchestrator agent: move ${event.type} in state ${JSON.stringify(self.getSnapshot().value)}`);
    },
    cloudStatus: act((context, event) =>
      event.type === 'cloud-status' ? moving(agent.onCloudStatus(context, event.node, event.up, event.diskLost, event.dark)) : null,
    ),
  },
}).createMachine({
  id: 'orchestrator-agent',
  context: ({ input }) => agent.initialContext(input),
  entry: 'boot',
  initial: 'watching',
  // What every state takes alike: the duties' events, and the events whose rules serve every step
  // (a state's own handler of an event comes first, and takes it instead: a state's handler of a
  // health reply does what the root's does too). A move no state takes is an error.
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
    ...unexpected(),
  },
  states: {
    watching: {
      description: 'No failover under way: it renews the primary’s lease through the log and checks every database node; enough failed checks in a row and it detects a failure',
      on: { ...idle, abandoned: 'watching' },
    },
    confirming: {
      description: 'The failover is proposed to the orchestrators’ log: nothing is done until a majority commits it',
      on: { ...firstSteps, forgotten: 'watching', abandoned: 'watching', resumed: 'resuming' },
    },
    resuming: {
      description: 'It took over a failover an earlier leader decided: one health check of the target shows whether it is done already',
      on: {
        timer: [{ guard: 'isTargetTimeout', actions: 'targetUnheardWhileResuming' }],
        message: [{ guard: 'isTargetReply', actions: 'targetReplyWhileResuming' }],
        ...firstSteps,
        ...underWay,
      },
    },
    draining: {
      description: 'A switchover: the primary takes no new writes until the target has caught up with it',
      on: {
        timer: [
          { guard: 'isLeaseGuardTimer', actions: 'leaseOverWhileDraining' },
          { guard: 'isCheckTimeout', actions: 'checkTimeoutWhileDraining' },
          { guard: 'isRoundTimer', actions: 'roundWhileDraining' },
        ],
        message: [
          { guard: 'isTargetReply', actions: 'targetReplyWhileDraining' },
          { guard: 'isCheckReply', actions: 'replyWhileDraining' },
        ],
        'promote-sent': 'promoting',
        ...underWay,
      },
    },
    fencing: {
      description: 'STONITH: it asked for the old primary to be powered off out of band, and waits for the answer',
      on: {
        'fence-result': [
          { guard: 'isFenceDone', actions: 'fenceDone' },
          { guard: 'isFenceRefused', target: 'fence-failed', actions: { type: 'fenceRefused', params: { again: false } } },
        ],
        message: [{ guard: 'isTargetReply', actions: 'targetReply' }],
        'promote-sent': 'promoting',
        ...underWay,
      },
    },
    'fence-failed': {
      description: 'The fence could not be done, so nothing is promoted; it tries again after each fresh check of the old primary',
      on: {
        'fence-result': [{ guard: 'isFenceDone', actions: 'fenceDone' }, { actions: { type: 'fenceRefused', params: { again: true } } }],
        timer: [{ guard: 'isOldPrimaryTimeout', actions: 'oldPrimaryUnheardWhileFenceFailed' }],
        // The fence asked for the old primary, never the target (a plan that promotes its old primary
        // again fences nothing), so at most one of these is the sender.
        message: [
          { guard: 'isTargetReply', actions: 'targetReply' },
          { guard: 'isOldPrimaryReply', actions: 'oldPrimaryReplyWhileFenceFailed' },
        ],
        'fence-asked': 'fencing',
        'lease-awaited': 'lease-wait',
        'promote-sent': 'promoting',
        'fence-refused': 'fence-failed',
        ...underWay,
      },
    },
    'lease-wait': {
      description: 'Fencing is off: it waits until the old primary’s lease has surely run out before promoting',
      on: {
        timer: [{ guard: 'isLeaseGuardTimer', actions: 'leaseOverWhileWaiting' }],
        message: [{ guard: 'isTargetReply', actions: 'targetReply' }],
        'promote-sent': 'promoting',
        ...underWay,
      },
    },
    promoting: {
      description: 'Promote sent: it waits for a health reply that shows the target writable in the new epoch, then redirects',
      on: {
        timer: [{ guard: 'isRoundTimer', actions: 'roundWhilePromoting' }],
        message: [{ guard: 'isTargetReply', actions: 'targetReply' }],
        ...underWay,
      },
    },
    done: {
      description: 'The new primary takes writes: it is watched like any primary until the next failure',
      on: { ...idle, abandoned: 'watching' },
    },
    following: {
      description: 'A failover the log holds is under way, carried out by the leading agent; this one knows of it, and resumes it if its member comes to lead',
      on: { resumed: 'resuming', completed: 'done', 'plan-in-log': 'following' },
    },
  },
});

export type AgentMachine = typeof agentMachine;
