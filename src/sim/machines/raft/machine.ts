/**
 * The Raft node as an XState machine: one state per role, transitions for what moves a node
 * between roles, and actions that are one-line wrappers around the steps in logic.ts. The
 * machine performs nothing itself: every message, timer and trace leaves as an emitted effect,
 * a step's effects together as one batch.
 *
 * It runs on every message of a busy cluster, so the hot paths are kept short: the common
 * message of each role (an AppendEntries of the follower's term, a reply to the leader) is
 * matched by the first transition tried, and the leader has no eventless (`always`)
 * transition, which XState would check after every event: the steps that can take a leader out
 * of its cluster (a commit, a membership change) raise `raft.own-removal-committed` themselves.
 */
import { and, assign, enqueueActions, raise, setup } from 'xstate';
import type { NodeEvent } from '../protocol';
import { nodeMachineTypes } from '../program';
import {
  TIMER,
  acceptAppend,
  acceptProposal,
  adoptHigherTerm,
  answerVoteRequest,
  armElectionTimer,
  becomeLeader,
  carriesHigherTerm,
  countVote,
  handleAppendReply,
  hasLostQuorum,
  hasVoteMajority,
  initialContext,
  installSnapshot,
  isOutOfCluster,
  isVoteRequestFromStaleNonMember,
  isVoteRequestInsideLease,
  refuseProposal,
  refuseStaleAppend,
  reportRole,
  sendHeartbeats,
  startElection,
  startPreVote,
  startQuorumWindow,
  stopLeading,
} from './logic';
import { restoreAtBoot } from './snapshot';
import { isMessage, isTimer, performBatched as perform, type BatchEnqueue, type Step } from '../step';
import type { RaftContext, RaftDisk, RaftMessage } from './types';

/** Raised by a leader's step that committed its own removal (dissertation §4.2.2): it steps down. */
const OWN_REMOVAL_COMMITTED = { type: 'raft.own-removal-committed' } as const;

/**
 * Carries out a leader's step; if it committed the leader's removal from the configuration, the
 * leader steps down next (raised, so the step's effects come first, as with an eventless transition).
 */
function performLeading(enqueue: BatchEnqueue<RaftContext, RaftMessage> & { raise(event: typeof OWN_REMOVAL_COMMITTED): void }, context: RaftContext, step: Step<RaftContext, RaftMessage>): void {
  perform(enqueue, context, step);
  const { patch } = step;
  if (patch.commitIndex === undefined && patch.members === undefined) return;
  if (isOutOfCluster({ ...context, ...patch })) enqueue.raise(OWN_REMOVAL_COMMITTED);
}

export const raftMachine = setup({
  types: { ...nodeMachineTypes<RaftContext, RaftMessage, RaftDisk>(), events: {} as NodeEvent<RaftMessage> | typeof OWN_REMOVAL_COMMITTED },
  guards: {
    isVoteRequestFromStaleNonMember: ({ context, event }) =>
      event.type === 'message' && isVoteRequestFromStaleNonMember(context, event.from, event.msg),
    isVoteRequestInsideLease: ({ context, event }) =>
      event.type === 'message' && isVoteRequestInsideLease(context, event.from, event.msg),
    carriesHigherTerm: ({ context, event }) => event.type === 'message' && carriesHigherTerm(context, event.msg),
    isVoteRequest: ({ event }) => isMessage(event, 'RequestVote'),
    isVoteReply: ({ event }) => isMessage(event, 'RequestVoteReply'),
    isAppend: ({ event }) => isMessage(event, 'AppendEntries'),
    isAppendReply: ({ event }) => isMessage(event, 'AppendEntriesReply'),
    /** A reply no term rule takes (its term is not above ours): what a leader hears most. */
    isAppendReplyOfNoHigherTerm: ({ context, event }) =>
      isMessage(event, 'AppendEntriesReply') && event.msg.term <= context.disk.currentTerm,
    isAppendOfCurrentTerm: ({ context, event }) =>
      isMessage(event, 'AppendEntries') && event.msg.term === context.disk.currentTerm,
    isInstallSnapshot: ({ event }) => isMessage(event, 'InstallSnapshot'),
    isInstallSnapshotOfCurrentTerm: ({ context, event }) =>
      isMessage(event, 'InstallSnapshot') && event.msg.term === context.disk.currentTerm,
    isElectionTimer: ({ event }) => isTimer(event, TIMER.election),
    isHeartbeatTimer: ({ event }) => isTimer(event, TIMER.heartbeat),
    isLeaseTimer: ({ event }) => isTimer(event, TIMER.lease),
    isQuorumTimer: ({ event }) => isTimer(event, TIMER.checkQuorum),
    preVoteEnabled: ({ context }) => context.settings.preVote,
    hasVoteMajority: ({ context }) => hasVoteMajority(context),
    hasLostQuorum: ({ context }) => hasLostQuorum(context),
    isOutOfCluster: ({ context }) => isOutOfCluster(context),
  },
  actions: {
    reportRole: enqueueActions(({ context, enqueue }, params: { role: string }) => perform(enqueue, context, reportRole(context, params.role))),
    noteReason: assign((_, params: { reason: string }) => ({ roleReason: params.reason })),
    noteLeaderHeard: assign(({ context, event }) => ({
      roleReason: `heard leader ${event.type === 'message' ? event.from : '?'} of term ${context.disk.currentTerm}`,
    })),
    armElectionTimer: enqueueActions(({ context, enqueue }) => perform(enqueue, context, armElectionTimer(context))),
    adoptHigherTerm: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'message') perform(enqueue, context, adoptHigherTerm(context, event.from, event.msg));
    }),
    /** Hands the same event to the new role: Figure 2 says adopt the term, then process the message. */
    redeliver: raise(({ event }) => event),
    startPreVote: enqueueActions(({ context, enqueue }) => perform(enqueue, context, startPreVote(context))),
    startElection: enqueueActions(({ context, enqueue }) => perform(enqueue, context, startElection(context))),
    answerVoteRequest: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'RequestVote')) perform(enqueue, context, answerVoteRequest(context, event.from, event.msg));
    }),
    countVote: enqueueActions(({ context, event, enqueue }, params: { preVote: boolean }) => {
      if (isMessage(event, 'RequestVoteReply')) perform(enqueue, context, countVote(context, event.from, event.msg, params.preVote));
    }),
    acceptAppend: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'AppendEntries')) perform(enqueue, context, acceptAppend(context, event.from, event.msg));
    }),
    installSnapshot: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'InstallSnapshot')) perform(enqueue, context, installSnapshot(context, event.from, event.msg));
    }),
    restoreAtBoot: enqueueActions(({ context, enqueue }) => perform(enqueue, context, restoreAtBoot(context))),
    refuseStaleAppend: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'message') perform(enqueue, context, refuseStaleAppend(context, event.from));
    }),
    endLease: assign({ leaseActive: false }),
    becomeLeader: enqueueActions(({ context, enqueue }) => performLeading(enqueue, context, becomeLeader(context))),
    stopLeading: enqueueActions(({ context, enqueue }) => perform(enqueue, context, stopLeading(context))),
    sendHeartbeats: enqueueActions(({ context, enqueue }) => perform(enqueue, context, sendHeartbeats(context))),
    handleAppendReply: enqueueActions(({ context, event, enqueue }) => {
      if (isMessage(event, 'AppendEntriesReply')) performLeading(enqueue, context, handleAppendReply(context, event.from, event.msg));
    }),
    startQuorumWindow: enqueueActions(({ context, enqueue }) => perform(enqueue, context, startQuorumWindow(context))),
    acceptProposal: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'propose') performLeading(enqueue, context, acceptProposal(context, event.cmd));
    }),
    refuseProposal: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'propose') perform(enqueue, context, refuseProposal(context, event.cmd));
    }),
  },
}).createMachine({
  id: 'raft',
  context: ({ input }) => initialContext(input),
  initial: 'follower',
  states: {
    follower: {
      entry: [role('follower'), 'restoreAtBoot', 'armElectionTimer'],
      on: {
        message: [
          // First the common case, which none of the rules after it would take: it is tried first only to be quick.
          { guard: 'isAppendOfCurrentTerm', actions: 'acceptAppend' },
          ...termRules(),
          { guard: 'isVoteRequest', actions: 'answerVoteRequest' },
          { guard: 'isAppend', actions: 'acceptAppend' },
          { guard: 'isInstallSnapshot', actions: 'installSnapshot' },
        ],
        timer: [
          // A new node, or one that knows its removal is committed, does not campaign; it keeps the
          // timer going so that it does once its log makes it a member.
          { guard: and(['isElectionTimer', 'isOutOfCluster']), actions: 'armElectionTimer' },
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
        message: campaignMessageRules(true),
        timer: { guard: 'isElectionTimer', target: 'precandidate', reenter: true, actions: reason('election timeout, pre-vote not won') },
        propose: { actions: 'refuseProposal' },
      },
    },
    candidate: {
      entry: ['startElection', role('candidate')],
      always: { guard: 'hasVoteMajority', target: 'leader', actions: reason('won election') },
      on: {
        message: campaignMessageRules(false),
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
        'raft.own-removal-committed': { target: 'follower', actions: reason('its own removal from the configuration is committed') },
        message: [
          // First the common case, which none of the rules after it would take: it is tried first only to be quick.
          { guard: 'isAppendReplyOfNoHigherTerm', actions: 'handleAppendReply' },
          ...termRules(),
          { guard: 'isVoteRequest', actions: 'answerVoteRequest' },
          { guard: 'isAppendReply', actions: 'handleAppendReply' },
          { guard: 'isAppend', actions: 'refuseStaleAppend' },
          { guard: 'isInstallSnapshot', actions: 'refuseStaleAppend' },
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

/** What a node campaigning for votes (pre-vote or real) does with a message: the same in both rounds. */
function campaignMessageRules(preVote: boolean) {
  return [
    ...termRules(),
    { guard: 'isAppendOfCurrentTerm', target: 'follower', actions: ['noteLeaderHeard', 'redeliver'] },
    { guard: 'isInstallSnapshotOfCurrentTerm', target: 'follower', actions: ['noteLeaderHeard', 'redeliver'] },
    { guard: 'isAppend', actions: 'refuseStaleAppend' },
    { guard: 'isInstallSnapshot', actions: 'refuseStaleAppend' },
    { guard: 'isVoteRequest', actions: 'answerVoteRequest' },
    { guard: 'isVoteReply', actions: { type: 'countVote', params: { preVote } } },
  ] as const;
}

/**
 * The transitions every role checks first: a vote request from a removed server is dropped
 * (§4.2.3, see logic.ts), then the CheckQuorum lease, then Figure 2's higher-term rule.
 */
function termRules() {
  return [
    { guard: 'isVoteRequestFromStaleNonMember', actions: [] },
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
