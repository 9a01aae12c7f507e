/**
 * The Bully election as an XState machine. The states only route events to the rules in
 * logic.ts; every guard and action here is a one-line wrapper around one of them.
 *
 *   booting ─▶ candidate.listening ─▶ deciding ─┬─▶ coordinator   (no higher-ranked peers)
 *                                                └─▶ candidate.electing ─▶ candidate.awaitingCoordinator
 *   follower ◀── any Coordinator announcement (Bully trusts them), or a heartbeat from above
 *
 * `deciding` is a transient state: whoever starts an election goes there, and it picks at once
 * between winning (nobody to ask) and challenging the higher-ranked peers.
 */
import { setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import { stepAction } from '../step';
import * as rules from './logic';
import { TIMER, type BullyContext, type BullyDisk, type BullyEvent, type BullyMessage } from './types';

type Rule = (context: BullyContext, event: BullyEvent) => rules.Step;

/** Turns a rule into an XState action that carries out its step (`stepAction` in machines/step.ts). */
function act(rule: Rule) {
  return stepAction<BullyContext, BullyEvent, undefined, BullyMessage>(rule);
}

const cancel = (name: string): Rule => () => rules.cancelTimer(name);

export const bullyMachine = setup({
  types: nodeMachineTypes<BullyContext, BullyMessage, BullyDisk>(),
  guards: {
    isAlone: ({ context }) => context.peers.length === 0,
    hasNoHigherPeers: ({ context }) => rules.higherPeers(context).length === 0,
    isTimer: ({ event }, params: { name: string }) => rules.isTimer(event, params.name),
    isAnswer: ({ event }) => rules.isMessage(event, 'Answer'),
    isElection: ({ event }) => rules.isMessage(event, 'Election'),
    isCoordinatorAnnouncement: ({ event }) => rules.isMessage(event, 'Coordinator'),
    isHeartbeatWorthFollowing: ({ context, event }) => rules.isHeartbeatWorthFollowing(context, event),
    isClaimFromHigher: ({ context, event }) => rules.isClaimFromHigher(context, event),
    isClaimFromLower: ({ context, event }) => rules.isClaimFromLower(context, event),
  },
  actions: {
    adoptEpoch: act(rules.adoptEpoch),
    enterCandidacy: act(rules.enterCandidacy),
    listen: act(rules.listen),
    callElection: act(rules.callElection),
    awaitCoordinator: act(rules.awaitCoordinator),
    declareVictory: act(rules.declareVictory),
    reassert: act(rules.reassert),
    sendHeartbeats: act(rules.sendHeartbeats),
    followSender: act(rules.followSender),
    answerSender: act(rules.answerSender),
    replyToProposal: act(rules.replyToProposal),
    cancelListenTimer: act(cancel(TIMER.listen)),
    cancelAnswerTimer: act(cancel(TIMER.answer)),
    cancelCoordinatorTimer: act(cancel(TIMER.coordinator)),
    cancelElectionTimer: act(cancel(TIMER.election)),
    cancelHeartbeatTimer: act(cancel(TIMER.heartbeat)),
  },
}).createMachine({
  id: 'bully',
  context: ({ input }) => rules.initialContext(input),
  initial: 'booting',
  on: {
    propose: { actions: 'replyToProposal' },
  },
  states: {
    booting: {
      always: [{ guard: 'isAlone', target: 'deciding' }, { target: 'candidate.listening' }],
    },
    deciding: {
      always: [
        { guard: 'hasNoHigherPeers', target: 'coordinator', actions: 'declareVictory' },
        { target: 'candidate.electing' },
      ],
    },
    candidate: {
      // Always entered through a named child; `listening` only satisfies XState's need for a default.
      initial: 'listening',
      entry: 'enterCandidacy',
      on: {
        message: [
          { guard: 'isCoordinatorAnnouncement', target: 'follower', actions: 'followSender' },
          { guard: 'isHeartbeatWorthFollowing', target: 'follower', actions: 'followSender' },
          { guard: 'isElection', actions: ['adoptEpoch', 'answerSender'] },
          { actions: 'adoptEpoch' },
        ],
      },
      states: {
        /** Just booted: hear the running coordinator (and its epoch) before challenging anyone. */
        listening: {
          entry: 'listen',
          exit: 'cancelListenTimer',
          on: {
            // A lower-ranked coordinator only teaches us its epoch: we are about to bully it.
            message: { guard: 'isClaimFromLower', actions: 'adoptEpoch' },
            timer: { guard: { type: 'isTimer', params: { name: TIMER.listen } }, target: '#bully.deciding' },
          },
        },
        electing: {
          entry: 'callElection',
          exit: 'cancelAnswerTimer',
          on: {
            message: { guard: 'isAnswer', target: 'awaitingCoordinator', actions: 'adoptEpoch' },
            timer: {
              guard: { type: 'isTimer', params: { name: TIMER.answer } },
              target: '#bully.coordinator',
              actions: 'declareVictory',
            },
          },
        },
        awaitingCoordinator: {
          entry: 'awaitCoordinator',
          exit: 'cancelCoordinatorTimer',
          on: {
            timer: { guard: { type: 'isTimer', params: { name: TIMER.coordinator } }, target: '#bully.deciding' },
          },
        },
      },
    },
    follower: {
      exit: 'cancelElectionTimer',
      on: {
        timer: { guard: { type: 'isTimer', params: { name: TIMER.election } }, target: 'deciding' },
        message: [
          { guard: 'isCoordinatorAnnouncement', actions: 'followSender' },
          { guard: 'isHeartbeatWorthFollowing', actions: 'followSender' },
          { guard: 'isElection', target: 'deciding', actions: ['adoptEpoch', 'answerSender'] },
          { actions: 'adoptEpoch' },
        ],
      },
    },
    coordinator: {
      exit: 'cancelHeartbeatTimer',
      on: {
        timer: { guard: { type: 'isTimer', params: { name: TIMER.heartbeat } }, actions: 'sendHeartbeats' },
        message: [
          { guard: 'isClaimFromHigher', target: 'follower', actions: 'followSender' },
          // Bullying: a lower-ranked node claims to coordinate, so we win an election over it again.
          { guard: 'isClaimFromLower', target: 'deciding', actions: 'adoptEpoch' },
          { guard: 'isElection', actions: ['adoptEpoch', 'answerSender', 'reassert'] },
          { actions: 'adoptEpoch' },
        ],
      },
    },
  },
});

export type BullyMachine = typeof bullyMachine;
