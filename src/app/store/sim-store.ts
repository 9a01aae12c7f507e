/**
 * What the page shows, fed by the worker's frames. Components select only their own slice
 * (a node its own state, a link its own messages), so a frame re-renders what changed.
 */
import { createContext, useContext } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { LessonMoment, NodeState, Scenario } from '../../sim';
import type { ChartSample, DrawnMessage, FailoverProgress, Faults, Frame, InvariantSummary, LoadedInfo, LogLine, Meters, RateReading } from '../../worker/protocol';

export type Selection = { readonly kind: 'node'; readonly id: string } | { readonly kind: 'link'; readonly a: string; readonly b: string } | null;

export type Status = 'starting' | 'running' | 'load-error' | 'crashed';

/** The log keeps this many lines; the trace behind it is complete in the worker. */
const LOG_LINES_KEPT = 600;
/** The chart keeps this many seconds; the oldest go first on a very long run. */
const CHART_SAMPLES_KEPT = 4 * 3600;
const NO_FAULTS: Faults = { partition: null, cut: [], slow: [], darkRegions: [] };

export interface SimState {
  readonly status: Status;
  readonly info: LoadedInfo | null;
  readonly loadError: string | null;
  /** The error's heading when it is not about a link ("This file could not be opened"); null for the usual one. */
  readonly loadErrorTitle: string | null;
  readonly crashMessage: string | null;
  readonly nowMs: number;
  readonly playing: boolean;
  readonly finished: boolean;
  /** The slider's end: the scenario's duration, or further once the run goes past it. */
  readonly horizonMs: number;
  readonly nodeIds: readonly string[];
  readonly nodesById: Readonly<Record<string, NodeState>>;
  readonly messagesByLink: Readonly<Record<string, readonly DrawnMessage[]>>;
  /**
   * Every pair of nodes that has exchanged a message since the run was loaded (link keys, sorted),
   * so that a link the page does not draw by rule (an orchestrator's health check of a database)
   * still appears and keeps its place.
   */
  readonly talkedLinks: readonly string[];
  /** The database's live figures, or null when the scenario has no database. */
  readonly meters: Meters | null;
  /** One sample per simulated second, for the chart of writes and replication lag. */
  readonly chart: readonly ChartSample[];
  /** The latest automatic failover, for the step indicator. */
  readonly failover: FailoverProgress | null;
  readonly faults: Faults;
  readonly invariants: readonly InvariantSummary[];
  readonly log: readonly LogLine[];
  /** How many times the log has started over (a load or a seek): lines that arrive with a reset are history, not news. */
  readonly logResets: number;
  /** The latest notable event at or before the moment on screen (after a seek too), for the live region. */
  readonly announcement: string;
  /** The clock's measured rate while playing (null while paused). */
  readonly rate: RateReading | null;
  readonly recorded: Scenario | null;
  /** What a lesson's claims are judged on at the moment on screen (null without a lesson). */
  readonly moment: LessonMoment | null;
  readonly actionCount: number;
  readonly selection: Selection;
  readonly speed: number;
  readonly skipQuiet: boolean;
  /** The partition tool: the nodes picked for side 1 while it is open, else null. */
  readonly partitionPick: readonly string[] | null;
  /** The node context menu: which node, and where on the screen it opens. */
  readonly menu: { readonly id: string; readonly x: number; readonly y: number } | null;
  /** Whether the graph draws who health-checks whom (the user's choice, kept across runs). */
  readonly showWatches: boolean;
  /** Some node has watched another since the run was loaded: the graph offers the watch toggle and legend. */
  readonly hasWatches: boolean;
}

function initialState(): SimState {
  return {
    status: 'starting',
    info: null,
    loadError: null,
    loadErrorTitle: null,
    crashMessage: null,
    nowMs: 0,
    playing: false,
    finished: false,
    horizonMs: 60_000,
    nodeIds: [],
    nodesById: {},
    messagesByLink: {},
    talkedLinks: [],
    meters: null,
    chart: [],
    failover: null,
    faults: NO_FAULTS,
    invariants: [],
    log: [],
    logResets: 0,
    announcement: '',
    rate: null,
    recorded: null,
    moment: null,
    actionCount: 0,
    selection: null,
    speed: 0.02,
    skipQuiet: true,
    partitionPick: null,
    menu: null,
    showWatches: true,
    hasWatches: false,
  };
}

/** The playground's store: what the page's own worker sends. */
const playgroundStore = createStore<SimState>(initialState);

/** A store of the same shape for another run drawn with the same components (each side of an A/B comparison). */
export function createSimStore(): StoreApi<SimState> {
  return createStore<SimState>(initialState);
}

/**
 * Which store the components below read: the playground's unless a provider names another (the
 * A/B view draws each of its two runs with the playground's graph and meters, each in its own store).
 */
export const SimStoreContext = createContext<StoreApi<SimState> | null>(null);

/** The store the calling component draws from. */
export function useSimStore(): StoreApi<SimState> {
  return useContext(SimStoreContext) ?? playgroundStore;
}

function useSimSlice<T>(selector: (state: SimState) => T): T {
  return useStore(useSimStore(), selector);
}

/** Selects a slice of the store in context (a hook); `getState`, `setState` and `subscribe` are the playground's store's. */
export const useSim = Object.assign(useSimSlice, {
  getState: playgroundStore.getState,
  setState: playgroundStore.setState,
  subscribe: playgroundStore.subscribe,
});

export function linkKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function nodeSignature(n: NodeState): string {
  return JSON.stringify([n.up, n.view.role, n.view.term, n.view.commitIndex, n.view.detail, n.view.log, n.view.replication, n.watch, n.watches, n.replaces, n.replacedBy, n.readyAtMs, n.restoring, n.countdown, n.statecharts]);
}

/** Keeps the previous object for a node that did not change, so its component does not re-render. */
function mergeNodes(previous: Readonly<Record<string, NodeState>>, nodes: readonly NodeState[]): Record<string, NodeState> {
  const next: Record<string, NodeState> = {};
  for (const node of nodes) {
    const old = previous[node.id];
    next[node.id] = old && nodeSignature(old) === nodeSignature(node) ? old : node;
  }
  return next;
}

function groupByLink(messages: readonly DrawnMessage[]): Record<string, DrawnMessage[]> {
  const byLink: Record<string, DrawnMessage[]> = {};
  for (const m of messages) (byLink[linkKey(m.from, m.to)] ??= []).push(m);
  return byLink;
}

/** The previous list when no new pair talked, so that the graph's links are not rebuilt each frame. */
function withTalked(previous: readonly string[], byLink: Readonly<Record<string, unknown>>): readonly string[] {
  const fresh = Object.keys(byLink).filter((key) => !previous.includes(key));
  return fresh.length === 0 ? previous : [...previous, ...fresh].sort();
}

function withSamples(previous: readonly ChartSample[], frame: Frame): readonly ChartSample[] {
  if (frame.chartReset) return frame.chart;
  if (frame.chart.length === 0) return previous;
  return [...previous, ...frame.chart].slice(-CHART_SAMPLES_KEPT);
}

/** The previous object while the failover has not moved on, so its indicator does not re-render each frame. */
function sameFailover(a: FailoverProgress | null, b: FailoverProgress | null): boolean {
  if (a === null || b === null) return a === b;
  return a.startedAtMs === b.startedAtMs && a.lastAtMs === b.lastAtMs && a.steps.length === b.steps.length && a.done === b.done && a.by === b.by;
}

function sameIds(a: readonly string[], b: readonly NodeState[]): boolean {
  return a.length === b.length && b.every((n, i) => a[i] === n.id);
}

export function applyFrame(frame: Frame, store: StoreApi<SimState> = playgroundStore): void {
  store.setState((s) => {
    const log = frame.logReset ? frame.log : frame.log.length > 0 ? [...s.log, ...frame.log].slice(-LOG_LINES_KEPT) : s.log;
    const messagesByLink = groupByLink(frame.messages);
    return {
      status: 'running',
      nowMs: frame.nowMs,
      playing: frame.playing,
      finished: frame.finished,
      horizonMs: Math.max(s.info?.durationMs ?? 0, frame.nowMs, s.horizonMs),
      nodeIds: sameIds(s.nodeIds, frame.nodes) ? s.nodeIds : frame.nodes.map((n) => n.id),
      nodesById: mergeNodes(s.nodesById, frame.nodes),
      messagesByLink,
      talkedLinks: withTalked(s.talkedLinks, messagesByLink),
      meters: frame.meters,
      chart: withSamples(s.chart, frame),
      failover: sameFailover(s.failover, frame.failover) ? s.failover : frame.failover,
      faults: frame.faults,
      invariants: frame.invariants,
      log,
      logResets: frame.logReset ? s.logResets + 1 : s.logResets,
      announcement: frame.latest?.text ?? '',
      rate: frame.rate,
      hasWatches: s.hasWatches || frame.nodes.some((n) => (n.watches?.length ?? 0) > 0),
      moment: frame.moment,
    };
  });
}

export function select(selection: Selection): void {
  useSim.setState({ selection });
}

/**
 * Which side of the current partition each node is on ("1", "2", …), or nothing when there is none.
 * Sides are numbered, not lettered: A and B name the two runs of A/B side by side, and a node of
 * run A wearing a "B" badge read as belonging to run B.
 */
export function partitionSide(faults: Faults, id: string): string | null {
  if (!faults.partition) return null;
  const index = faults.partition.findIndex((group) => group.includes(id));
  return index < 0 ? null : String(index + 1);
}
