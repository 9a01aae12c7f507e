/**
 * The Raft node as an XState machine: one state per role, transitions for what moves a node
 * between roles, and actions that are one-line wrappers around the steps in logic.ts, each an
 * `act` (`stepAction` in step.ts). The machine performs nothing itself: every message, timer and
 * trace leaves as an effect, taken by the node's runner (or emitted, a step's effects together
 * as one batch, when the machine runs on its own).
 *
 * It runs on every message of a busy cluster, so the hot paths are kept short: the common
 * message of each role (an AppendEntries of the follower's term, a reply to the leader) is
 * matched by the first transition tried, and the leader has no eventless (`always`)
 * transition, which XState would check after every event: the steps that can take a leader out
 * of its cluster (a commit, a membership change) raise `raft.own-removal-committed` themselves.
 */
import { and, assign, raise, setup, type ParameterizedObject } from 'xstate';
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
import { isMessage, isTimer, stepAction, type RaisingStep, type Step } from '../step';
import type { RaftContext, RaftDisk, RaftMessage } from './types';

/** Raised by a leader's step that committed its own removal (dissertation §4.2.2): it steps down. */
const OWN_REMOVAL_COMMITTED = { type: 'raft.own-removal-committed' } as const;
const STEP_DOWN_AFTER = [OWN_REMOVAL_COMMITTED] as const;

type RaftEvent = NodeEvent<RaftMessage> | typeof OWN_REMOVAL_COMMITTED;

/** An action carrying out the step a rule takes (`stepAction`), typed for this machine. */
function act<P extends ParameterizedObject['params'] | undefined = undefined>(rule: (context: RaftContext, event: RaftEvent, params: P) => RaisingStep<RaftContext, RaftMessage> | null) {
  return stepAction<RaftContext, RaftEvent, P, RaftMessage>(rule);
}

/**
 * A leader's step; if it committed the leader's removal from the configuration, the leader steps
 * down next (raised, so the step's effects come first, as with an eventless transition).
 */
function leading(context: RaftContext, step: Step<RaftContext, RaftMessage>): RaisingStep<RaftContext, RaftMessage> {
  const { patch } = step;
  if (patch.commitIndex === undefined && patch.members === undefined) return step;
  return isOutOfCluster({ ...context, ...patch }) ? { ...step, raise: STEP_DOWN_AFTER } : step;
}

export const raftMachine = setup({
  types: { ...nodeMachineTypes<RaftContext, RaftMessage, RaftDisk>(), events: {} as RaftEvent },
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
    reportRole: act<{ role: string }>((context, _event, params) => reportRole(context, params.role)),
    noteReason: assign((_, params: { reason: string }) => ({ roleReason: params.reason })),
    noteLeaderHeard: assign(({ context, event }) => ({
      roleReason: `heard leader ${event.type === 'message' ? event.from : '?'} of term ${context.disk.currentTerm}`,
    })),
    armElectionTimer: act((context) => armElectionTimer(context)),
    adoptHigherTerm: act((context, event) => (event.type === 'message' ? adoptHigherTerm(context, event.from, event.msg) : null)),
    /** Hands the same event to the new role: Figure 2 says adopt the term, then process the message. */
    redeliver: raise(({ event }) => event),
    startPreVote: act((context) => startPreVote(context)),
    startElection: act((context) => startElection(context)),
    answerVoteRequest: act((context, event) => (isMessage(event, 'RequestVote') ? answerVoteRequest(context, event.from, event.msg) : null)),
    countVote: act<{ preVote: boolean }>((context, event, params) =>
      isMessage(event, 'RequestVoteReply') ? countVote(context, event.from, event.msg, params.preVote) : null,
    ),
    acceptAppend: act((context, event) => (isMessage(event, 'AppendEntries') ? acceptAppend(context, event.from, event.msg) : null)),
    installSnapshot: act((context, event) => (isMessage(event, 'InstallSnapshot') ? installSnapshot(context, event.from, event.msg) : null)),
    restoreAtBoot: act((context) => restoreAtBoot(context)),
    refuseStaleAppend: act((context, event) => (event.type === 'message' ? refuseStaleAppend(context, event.from) : null)),
    endLease: assign({ leaseActive: false }),
    becomeLeader: act((context) => leading(context, becomeLeader(context))),
    stopLeading: act((context) => stopLeading(context)),
    sendHeartbeats: act((context) => sendHeartbeats(context)),
    handleAppendReply: act((context, event) =>
      isMessage(event, 'AppendEntriesReply') ? leading(context, handleAppendReply(context, event.from, event.msg)) : null,
    ),
    startQuorumWindow: act((context) => startQuorumWindow(context)),
    acceptProposal: act((context, event) => (event.type === 'propose' ? leading(context, acceptProposal(context, event.cmd)) : null)),
    refuseProposal: act((context, event) => (event.type === 'propose' ? refuseProposal(context, event.cmd) : null)),
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
