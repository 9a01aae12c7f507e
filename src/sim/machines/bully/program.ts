/**
 * How the kernel hosts a Bully orchestrator: the machine, its disk, and how the page and the
 * report see it. A coordinator shows as `leader`; a node electing or waiting for an announcement
 * shows as `candidate`.
 */
import type { SnapshotFrom } from 'xstate';
import type { NodeProgram } from '../program';
import type { Message, MessageLook, NodeView } from '../protocol';
import { bullyMachine, type BullyMachine } from './machine';
import { TIMER, type BullyDisk } from './types';

type BullySnapshot = SnapshotFrom<BullyMachine>;

function view(snapshot: BullySnapshot): NodeView {
  const { role, coordinator, disk } = snapshot.context;
  return {
    role: role ?? 'candidate',
    term: disk.epoch,
    detail: { coordinator, epoch: disk.epoch },
  };
}

function epochLabel(msg: Message): string {
  const epoch = (msg as { epoch?: unknown }).epoch;
  return typeof epoch === 'number' ? ` e${epoch}` : '';
}

function look(msg: Message): MessageLook {
  switch (msg.type) {
    case 'Election':
      return { family: 'election', label: 'Election' };
    case 'Answer':
      return { family: 'vote', label: 'Answer' };
    case 'Coordinator':
      return { family: 'coordinator', label: `Coordinator${epochLabel(msg)}` };
    case 'Heartbeat':
      return { family: 'heartbeat', label: `Heartbeat${epochLabel(msg)}` };
    default:
      return { family: 'other', label: msg.type };
  }
}

export const bullyProgram: NodeProgram<BullyMachine, BullyDisk> = {
  kind: 'orchestrator',
  machine: bullyMachine,
  diskOf: (snapshot) => snapshot.context.disk,
  view,
  facts: ({ context }) => (context.role === 'leader' ? { leads: { term: context.disk.epoch } } : {}),
  look,
  // A follower's wait for the coordinator's next heartbeat, then a candidate's wait for an announcement.
  countdownTimers: [TIMER.election, TIMER.coordinator],
};
