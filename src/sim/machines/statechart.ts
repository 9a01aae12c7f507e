/**
 * A machine's statechart as plain data, for the page's live statechart view: its states (nested as
 * the machine nests them), which one it starts in, and the transitions out of each (the event, the
 * guard's name in words, the target). Read from the XState machine definition itself
 * (`machine.root`), so the drawing cannot drift from what the simulation runs.
 *
 * Also: a snapshot's state value as the list of active state paths, and a delivered event in a
 * few words (`timer election`, `VoteReply from orch-2`), for "the last move and what caused it".
 */
import { and, not, or, type AnyStateMachine, type StateValue } from 'xstate';
import type { NodeKind } from './program';
import type { NodeEvent } from './protocol';
import type { Topology } from '../scenario/types';
import { companionFor, programFor } from './registry';

/** One transition out of a state. `targets` are state paths (`leader`, `running.fencing`); empty for a transition that stays. */
export interface StatechartTransition {
  /** The event type it takes (`timer`, `message`, …), or `always` for an eventless one. */
  readonly event: string;
  /** The guard in words (`election timer and pre-vote enabled`), or null when unguarded. */
  readonly guard: string | null;
  readonly targets: readonly string[];
}

export interface StatechartState {
  /** Dotted path from the root (`follower`, `running.fencing`): how values and targets name it. */
  readonly path: string;
  readonly key: string;
  readonly initial: boolean;
  readonly final: boolean;
  readonly description: string | null;
  readonly states: readonly StatechartState[];
  readonly parallel: boolean;
  /** The transitions that leave the state (to another, or itself anew); those that only act within it are left out. */
  readonly transitions: readonly StatechartTransition[];
}

/** A machine's outline: its id (`raft`, `database`) and its top-level states. */
export interface StatechartOutline {
  readonly id: string;
  readonly states: readonly StatechartState[];
}

/** A running machine as the page shows it beside its outline. */
export interface LiveStatechart {
  /** The outline's id. */
  readonly chart: string;
  /** The active states, deepest first-level order (one path per active leaf). */
  readonly active: readonly string[];
  /** The latest change of state, or null while it is still in the state it started in. */
  readonly last: StatechartMove | null;
  /**
   * The latest changes, oldest first, `last` at the end (at most `RECENT_MOVES`): one instant may
   * hold several (a failover agent's commit, fence and promotion), which `last` alone would hide.
   */
  readonly recent: readonly StatechartMove[];
}

/** How many moves a live statechart keeps. */
export const RECENT_MOVES = 8;

export interface StatechartMove {
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** The delivered event that caused it, in words. */
  readonly event: string;
  readonly atMs: number;
}

interface StateNodeLike {
  readonly key: string;
  readonly path: readonly string[];
  readonly type: string;
  readonly description?: string;
  readonly states: Record<string, StateNodeLike>;
  readonly initial?: { readonly target: readonly StateNodeLike[] };
  readonly transitions: Map<string, readonly TransitionLike[]>;
  readonly always?: readonly TransitionLike[];
}

interface TransitionLike {
  readonly target?: readonly StateNodeLike[];
  readonly reenter: boolean;
  readonly guard?: unknown;
}

/** `isElectionTimer` → `election timer`, `hasVoteMajority` → `vote majority`. */
function words(name: string): string {
  return name
    .replace(/^(is|has)(?=[A-Z])/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/**
 * How XState's `and`, `or` and `not` guards are told apart: by the check each carries (a function
 * name would not do, a production build shortens it).
 */
const COMBINATORS: readonly (readonly [unknown, string])[] = [
  [(and([]) as unknown as { check: unknown }).check, ' and '],
  [(or([]) as unknown as { check: unknown }).check, ' or '],
  [(not('x') as unknown as { check: unknown }).check, 'not '],
];

function guardWords(guard: unknown): string {
  if (typeof guard === 'string') return words(guard);
  if (typeof guard === 'object' && guard !== null && 'type' in guard) {
    // A parameterized guard names its parameters' values too: `roleIs` with `{ role: 'primary' }` → `role is primary`.
    const { type, params } = guard as { type: unknown; params?: unknown };
    const values = typeof params === 'object' && params !== null ? Object.values(params).filter((v) => ['string', 'number', 'boolean'].includes(typeof v)) : [];
    return [words(String(type)), ...values.map(String)].join(' ');
  }
  if (typeof guard === 'function') {
    const { guards, check } = guard as { guards?: unknown; check?: unknown };
    const joint = COMBINATORS.find(([c]) => c === check)?.[1];
    if (joint === 'not ' && Array.isArray(guards)) return `not ${guardWords(guards[0])}`;
    if (joint && Array.isArray(guards)) return guards.map(guardWords).join(joint);
    return 'a condition';
  }
  return 'a condition';
}

function transitionOf(event: string, t: TransitionLike, source: StateNodeLike): StatechartTransition | null {
  const targets = (t.target ?? []).map((node) => node.path.join('.'));
  // A transition that only runs actions in place does not move the chart; drop it from the drawing.
  if (targets.length === 0 || (targets.length === 1 && targets[0] === source.path.join('.') && !t.reenter)) return null;
  return { event, guard: t.guard === undefined ? null : guardWords(t.guard), targets };
}

function stateOf(node: StateNodeLike, initialKeys: ReadonlySet<string>): StatechartState {
  const transitions: StatechartTransition[] = [];
  for (const t of node.always ?? []) {
    const found = transitionOf('always', t, node);
    if (found) transitions.push(found);
  }
  for (const [event, list] of node.transitions) {
    for (const t of list) {
      const found = transitionOf(event, t, node);
      if (found) transitions.push(found);
    }
  }
  const childInitial = new Set((node.initial?.target ?? []).map((n) => n.key));
  return {
    path: node.path.join('.'),
    key: node.key,
    initial: initialKeys.has(node.key),
    final: node.type === 'final',
    description: node.description ?? null,
    parallel: node.type === 'parallel',
    states: Object.values(node.states).map((child) => stateOf(child, node.type === 'parallel' ? new Set(Object.keys(node.states)) : childInitial)),
    transitions,
  };
}

/** The outline of a machine, read from its definition. */
export function statechartOutline(machine: AnyStateMachine): StatechartOutline {
  const root = machine.root as unknown as StateNodeLike;
  const initial = new Set((root.initial?.target ?? []).map((n) => n.key));
  return { id: machine.id, states: Object.values(root.states).map((node) => stateOf(node, initial)) };
}

/** A snapshot's value as the paths of its active leaf states: `'leader'` → `['leader']`, `{ running: 'fencing' }` → `['running.fencing']`. */
export function activePaths(value: StateValue, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix + value];
  return Object.entries(value).flatMap(([key, child]) => (child === undefined ? [prefix + key] : activePaths(child, `${prefix}${key}.`)));
}

/** A delivered event in a few words: `timer election`, `VoteReply from orch-2`, `propose`. */
export function eventWords(event: NodeEvent): string {
  if (event.type === 'timer') return `timer ${event.name}`;
  if (event.type === 'message') return `${(event.msg as { type: string }).type} from ${event.from}`;
  return event.type;
}

/**
 * Follows one running actor's state for the page: the active paths after each delivered event,
 * and the latest change with the event that caused it. Reading the value costs a string compare
 * for a machine whose states are flat, so the engine pays almost nothing for it.
 */
export class StatechartWatch {
  private value: StateValue | null = null;
  private active: readonly string[] = [];
  private last: StatechartMove | null = null;
  private recent: readonly StatechartMove[] = [];

  constructor(private readonly chart: string) {}

  /** The actor (re)started in `value`. */
  started(value: StateValue, atMs: number): void {
    this.value = value;
    this.active = activePaths(value);
    this.last = { from: [], to: this.active, event: 'start', atMs };
    this.recent = [this.last];
  }

  /** The actor took `event` and is now in `value`; the event is put in words only when the active states change. */
  after(value: StateValue, event: NodeEvent, atMs: number): void {
    if (value === this.value) return;
    this.value = value;
    const active = activePaths(value);
    if (active.join(' ') === this.active.join(' ')) return;
    this.last = { from: this.active, to: active, event: eventWords(event), atMs };
    this.recent = [...this.recent.slice(1 - RECENT_MOVES), this.last];
    this.active = active;
  }

  live(): LiveStatechart {
    return { chart: this.chart, active: this.active, last: this.last, recent: this.recent };
  }
}

/**
 * The outlines of the machines a scenario runs (each node kind's program and its companion),
 * keyed by machine id: what the page needs once per run to draw any node's statechart.
 */
export function statechartsFor(topology: Topology, kinds: Iterable<NodeKind>): Record<string, StatechartOutline> {
  const out: Record<string, StatechartOutline> = {};
  for (const kind of new Set(kinds)) {
    for (const program of [programFor(kind, topology), companionFor(kind, topology)]) {
      if (program && !out[program.machine.id]) out[program.machine.id] = statechartOutline(program.machine);
    }
  }
  return out;
}
