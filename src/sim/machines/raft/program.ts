/** Raft as a program the kernel can host on an orchestrator node. */
import type { SnapshotFrom } from 'xstate';
import type { NodeProgram } from '../program';
import type { Message, MessageLook, NodeView } from '../protocol';
import { raftMachine } from './machine';
import { describeMembers } from './membership';
import type { RaftDisk, RaftMessage } from './types';
import { TIMER } from './logic';
import { lastIndex } from './log';

type RaftSnapshot = SnapshotFrom<typeof raftMachine>;

/** How many of the last log entries the inspector shows. */
const LOG_VIEW_ENTRIES = 20;

function roleOf(snapshot: RaftSnapshot): string {
  // PreVote is a candidate that has not yet raised its term; the page draws it as a candidate.
  return snapshot.value === 'precandidate' ? 'candidate' : snapshot.value;
}

function view(snapshot: RaftSnapshot): NodeView {
  const ctx = snapshot.context;
  const log = ctx.disk.log;
  const compacted = ctx.disk.snapshot ?? null;
  return {
    role: roleOf(snapshot),
    term: ctx.disk.currentTerm,
    detail: {
      votedFor: ctx.disk.votedFor,
      commitIndex: ctx.commitIndex,
      lastApplied: ctx.lastApplied,
      // The index of its last entry (entries up to the snapshot's index are compacted away).
      logLength: lastIndex(ctx.disk),
      leader: ctx.leader,
      // The configuration this node acts on (the latest in its log, committed or not).
      members: describeMembers(ctx.members),
      ...(compacted === null ? {} : { snapshot: `up to index ${compacted.index} (term ${compacted.term}), ${compacted.retained.length} entries kept` }),
    },
    log: log.slice(Math.max(0, log.length - LOG_VIEW_ENTRIES)),
    commitIndex: ctx.commitIndex,
    ...(compacted === null ? {} : { snapshot: { index: compacted.index, term: compacted.term, kept: compacted.retained.length } }),
  };
}

function indexRange(first: number, last: number): string {
  return first === last ? `${first}` : `${first}–${last}`;
}

function look(message: Message): MessageLook {
  const msg = message as RaftMessage;
  switch (msg.type) {
    case 'RequestVote':
      return { family: 'vote-request', label: `${msg.preVote ? 'PreVote' : 'RequestVote'} t${msg.term}` };
    case 'RequestVoteReply':
      return { family: 'vote', label: `${msg.preVote ? 'pre-vote' : 'vote'} ${msg.granted ? 'yes' : 'no'} t${msg.term}` };
    case 'AppendEntries':
      return msg.entries.length === 0
        ? { family: 'heartbeat', label: `heartbeat t${msg.term}` }
        : { family: 'append', label: `append ${indexRange(msg.prevLogIndex + 1, msg.prevLogIndex + msg.entries.length)} t${msg.term}` };
    case 'InstallSnapshot':
      return { family: 'snapshot', label: `snapshot ≤${msg.snapshot.index} t${msg.term}` };
    case 'AppendEntriesReply':
      return { family: 'append-ack', label: msg.success ? `ok ${msg.matchIndex} t${msg.term}` : `no, try ${msg.conflictIndex} t${msg.term}` };
    default:
      return { family: 'other', label: message.type };
  }
}

export const raftProgram: NodeProgram<typeof raftMachine, RaftDisk> = {
  kind: 'orchestrator',
  machine: raftMachine,
  diskOf: (snapshot) => snapshot.context.disk,
  view,
  facts: ({ value, context }) => (value === 'leader' ? { leads: { term: context.disk.currentTerm } } : {}),
  look,
  countdownTimers: [TIMER.election],
};
