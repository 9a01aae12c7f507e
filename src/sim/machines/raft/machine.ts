/**
 * The Raft node as an XState machine: one state per role, transitions for what moves a node
 * between roles, and actions that are one-line wrappers around the steps in logic.ts. The
 * machine performs nothing itself: every message, timer and trace leaves as an emitted effect.
 */
import { and, assign, enqueueActions, raise, setup } from 'xstate';
import type { NodeEvent } from '../protocol';
import type { ProgramInput } from '../program';
import * as raft from './logic';
import type { RaftContext, RaftDisk, RaftEffect, RaftMessage } from './types';

type RaftEvent = NodeEvent<RaftMessage>;
type MessageEvent = Extract<RaftEvent, { type: 'message' }>;
type MessageOf<T extends RaftMessage['type']> = Extract<RaftMessage, { type: T }>;

function isMessage<T extends RaftMessage['type']>(event: RaftEvent, type: T): event is MessageEvent & { msg: MessageOf<T> } {
  return event.type === 'message' && event.msg.type === type;
}

function isTimer(event: RaftEvent, name: string): boolean {
  return event.type === 'timer' && event.name === name;
}

/** The part of XState's `enqueue` that `perform` uses. */
interface Enqueue {
  assign(patch: Partial<RaftContext>): void;
  emit(effect: RaftEffect): void;
}

/** Carries out a step of logic.ts: assign what it changes, emit what it asks for, in order. */
function perform(enqueue: Enqueue, { patch, effects }: raft.Step): void {
  if (Object.keys(patch).length > 0) enqueue.assign(patch);
  for (const effect of effects) enqueue.emit(effect);
}

export const raftMachine = setup({
  types: {
    context: {} as RaftContext,
    events: {} as RaftEvent,
    input: {} as ProgramInput<RaftDisk>,
    emitted: {} as RaftEffect,
  },
  guards: {
    isVoteRequestInsideLease: ({ context, event }) =>
      event.type === 'message' && raft.isVoteRequestInsideLease(context, event.from, event.msg),
    carriesHigherTerm: ({ context, event }) => event.type === 'message' && raft.carriesHigherTerm(context, event.msg),
    isVoteRequest: ({ event }) => isMessage(event, 'RequestVote'),
    isVoteReply: ({ event }) => isMessage(event, 'RequestVoteReply'),
    isAppend: ({ event }) => isMessage(event, 'AppendEntries'),
    isAppendReply: ({ event }) => isMessage(event, 'AppendEntriesReply'),
    isAppendOfCurrentTerm: ({ context, event }) =>
      isMessage(event, 'AppendEntries') && event.msg.term === context.disk.currentTerm,
    isElectionTimer: ({ event }) => isTimer(event, raft.TIMER.election),
    isHeartbeatTimer: ({ event }) => isTimer(event, raft.TIMER.heartbeat),
    isLeaseTimer: ({ event }) => isTimer(event, raft.TIMER.lease),
    isQuorumTimer: ({ event }) => isTimer(event, raft.TIMER.checkQuorum),
    preVoteEnabled: ({ context }) => context.settings.preVote,
    hasVoteMajority: ({ context }) => raft.hasVoteMajority(context),
    hasLostQuorum: ({ context }) => raft.hasLostQuorum(context),
  },
  actions: {
    reportRole: enqueueActions(({ context, enqueue }, params: { role: string }) => perform(enqueue, raft.reportRole(context, params.role))),
    noteReason: assign((_, params: { reason: string }) => ({ roleReason: params.reason })),
    noteLeaderHeard: assign(({ context, event }) => ({
      roleReason: `heard leader ${event.type === 'message' ? event.from : '?'} of term ${context.disk.currentTerm}`,
    })),
    armElectionTimer: enqueueActions(({ context, enqueue }) => perform(enqueue, raft.armElectionTimer(context))),
    adoptHigherTerm: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'message') perform(enqueue, raft.adoptHigherTerm(context, event.from, event.msg));
    }),
    /** Hands the same event to the new role: Figure 2 says adopt the term, then process the message. */
    redeliver: raise(({ event }) => event),
    startPreVote: enqueueActions(({ context, enqueue }) => perform(enqueue, raft.startPreVote(context))),
    startElection: enqueueActions(({ context, enqueue }) => perform(enqueue, raft.startElection(context))),
    answerVoteRequest: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'RequestVote')) perform(enqueue, raft.answerVoteRequest(context, event.from, event.msg));
    }),
    countVote: enqueueActions(({ context, event, enqueue }, params: { preVote: boolean }) => {
      if (isMessage(event, 'RequestVoteReply')) perform(enqueue, raft.countVote(context, event.from, event.msg, params.preVote));
    }),
    acceptAppend: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'AppendEntries')) perform(enqueue, raft.acceptAppend(context, event.from, event.msg));
    }),
    refuseStaleAppend: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'message') perform(enqueue, raft.refuseStaleAppend(context, event.from));
    }),
    endLease: assign({ leaseActive: false }),
    becomeLeader: enqueueActions(({ context, enqueue }) => perform(enqueue, raft.becomeLeader(context))),
    stopLeading: enqueueActions(({ context, enqueue }) => perform(enqueue, raft.stopLeading(context))),
    sendHeartbeats: enqueueActions(({ context, enqueue }) => perform(enqueue, raft.sendHeartbeats(context))),
    handleAppendReply: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'AppendEntriesReply')) perform(enqueue, raft.handleAppendReply(context, event.from, event.msg));
    }),
    startQuorumWindow: enqueueActions(({ context, enqueue }) => perform(enqueue, raft.startQuorumWindow(context))),
    acceptProposal: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'propose') perform(enqueue, raft.acceptProposal(context, event.cmd));
    }),
    refuseProposal: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'propose') perform(enqueue, raft.refuseProposal(context, event.cmd));
    }),
  },
}).createMachine({
  id: 'raft',
  context: ({ input }) => raft.initialContext(input),
  initial: 'follower',
  states: {
    follower: {
      entry: [role('follower'), 'armElectionTimer'],
      on: {
        message: [
          ...termRules(),
          { guard: 'isVoteRequest', actions: 'answerVoteRequest' },
          { guard: 'isAppend', actions: 'acceptAppend' },
        ],
        timer: [
          { guard: and(['isElectionTimer', 'preVoteEnabled']), target: 'precandidate', actions: reason('election timeout') },
          { guard: 'isElectionTimer', target: 'candidate', actions: reason('election timeout') },
          { guard: 'isLeaseTimer', actions: 'endLease' },
        ],
        propose: { actions: 'refuseProposal' },
      },
    },
    precandidate: {
      entry: ['startPreVote', role('precandidate')],
      always: { guard: 'hasVoteMajority', target: 'candidate', actions: reason('won pre-vote') },
      on: {
        message: [
          ...termRules(),
          { guard: 'isAppendOfCurrentTerm', target: 'follower', actions: ['noteLeaderHeard', 'redeliver'] },
          { guard: 'isAppend', actions: 'refuseStaleAppend' },
          { guard: 'isVoteRequest', actions: 'answerVoteRequest' },
          { guard: 'isVoteReply', actions: { type: 'countVote', params: { preVote: true } } },
        ],
        timer: { guard: 'isElectionTimer', target: 'precandidate', reenter: true, actions: reason('election timeout, pre-vote not won') },
        propose: { actions: 'refuseProposal' },
      },
    },
    candidate: {
      entry: ['startElection', role('candidate')],
      always: { guard: 'hasVoteMajority', target: 'leader', actions: reason('won election') },
      on: {
        message: [
          ...termRules(),
          { guard: 'isAppendOfCurrentTerm', target: 'follower', actions: ['noteLeaderHeard', 'redeliver'] },
          { guard: 'isAppend', actions: 'refuseStaleAppend' },
          { guard: 'isVoteRequest', actions: 'answerVoteRequest' },
          { guard: 'isVoteReply', actions: { type: 'countVote', params: { preVote: false } } },
        ],
        // Like etcd, a candidate whose election timed out asks again with a PreVote first when PreVote is on.
        timer: [
          { guard: and(['isElectionTimer', 'preVoteEnabled']), target: 'precandidate', actions: reason('election timeout, no winner') },
          { guard: 'isElectionTimer', target: 'candidate', reenter: true, actions: reason('election timeout, no winner') },
        ],
        propose: { actions: 'refuseProposal' },
      },
    },
    leader: {
      entry: [role('leader'), 'becomeLeader'],
      exit: 'stopLeading',
      on: {
        message: [
          ...termRules(),
          { guard: 'isVoteRequest', actions: 'answerVoteRequest' },
          { guard: 'isAppendReply', actions: 'handleAppendReply' },
          { guard: 'isAppend', actions: 'refuseStaleAppend' },
        ],
        timer: [
          { guard: 'isHeartbeatTimer', actions: 'sendHeartbeats' },
          { guard: and(['isQuorumTimer', 'hasLostQuorum']), target: 'follower', actions: reason('lost quorum') },
          { guard: 'isQuorumTimer', actions: 'startQuorumWindow' },
        ],
        propose: { actions: 'acceptProposal' },
      },
    },
  },
});

/** The transitions every role checks first: the CheckQuorum lease, then Figure 2's higher-term rule. */
function termRules() {
  return [
    { guard: 'isVoteRequestInsideLease', actions: [] },
    { guard: 'carriesHigherTerm', target: 'follower', reenter: true, actions: ['adoptHigherTerm', 'redeliver'] },
  ] as const;
}

function reason(text: string) {
  return { type: 'noteReason', params: { reason: text } } as const;
}

function role(name: string) {
  return { type: 'reportRole', params: { role: name } } as const;
}
