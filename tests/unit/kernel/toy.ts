/**
 * A toy machine for testing the kernel without the world's protocols: each test scripts what it
 * does when it starts and on each event (`behaviour`), and the toy emits exactly that. What it
 * keeps on disk (how often it booted, which messages it got) shows what survives a crash.
 */
import { enqueueActions, setup } from 'xstate';
import type { NodeProgram, ProgramInput } from '../../../src/sim/machines/program';
import type { Effect, Message, NodeEvent, NodeId } from '../../../src/sim/machines/protocol';

/** What survives a crash: how often the node booted, and the messages it got (from, type). */
export interface ToyDisk {
  readonly boots: number;
  readonly got: readonly string[];
}

export interface ToyContext {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  readonly disk: ToyDisk;
  /** The disk was wiped before this boot. */
  readonly wiped: boolean;
}

/** A test's script for the toy: what it does when it starts and on each event. */
export interface Behaviour {
  start(ctx: ToyContext): Effect[];
  on(ctx: ToyContext, event: NodeEvent): Effect[];
}

/** The script every toy follows now; a test sets it (and `resetBehaviour` clears it). */
export const toy: { behaviour: Behaviour } = { behaviour: { start: () => [], on: () => [] } };

export function resetBehaviour(): void {
  toy.behaviour = { start: () => [], on: () => [] };
}

/** A trace line the toy writes; `role` with term 0, so the kernel stamps it and the checks let it be. */
export const say = (what: string): Effect => ({ type: 'trace', event: { type: 'role', role: 'toy', term: 0, reason: what } });

const toyMachine = setup({
  types: {
    context: {} as ToyContext,
    events: {} as NodeEvent,
    input: {} as ProgramInput<ToyDisk>,
    emitted: {} as Effect,
  },
}).createMachine({
  id: 'toy',
  context: ({ input }) => ({
    id: input.id,
    peers: input.peers,
    disk: { boots: (input.disk?.boots ?? 0) + 1, got: input.disk?.got ?? [] },
    wiped: input.diskWiped ?? false,
  }),
  entry: enqueueActions(({ context, enqueue }) => {
    for (const effect of toy.behaviour.start(context)) enqueue.emit(effect);
  }),
  on: {
    '*': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        if (event.type === 'message') enqueue.assign({ disk: { ...context.disk, got: [...context.disk.got, `${event.from}:${event.msg.type}`] } });
        for (const effect of toy.behaviour.on(context, event)) enqueue.emit(effect);
      }),
    },
  },
});

export const toyProgram: NodeProgram = {
  kind: 'orchestrator',
  machine: toyMachine,
  diskOf: (snapshot) => (snapshot.context as ToyContext).disk,
  view: (snapshot) => ({ role: 'toy', term: null, detail: { boots: (snapshot.context as ToyContext).disk.boots } }),
  look: (msg: Message) => ({ family: 'other', label: msg.type }),
};
