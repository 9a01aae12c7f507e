/**
 * The A/B view's state on the page's side. Its worker (ab.worker.ts) holds both runs and their one
 * clock; here each run's frames fill a store of the playground's shape (so the playground's graph
 * and meters draw it), and the comparison's setup, clock, first difference and errors are kept.
 * The base scenario is the playground's run as recorded (its clicks included).
 */
import { create } from 'zustand';
import type { StoreApi } from 'zustand';
import { AB_KNOBS, AB_SEED_MAX, abKnob, type AbKnobId, type AbSetup, type FirstDifference, type Scenario } from '../../sim';
import type { FromAbWorker, ToAbWorker } from '../../worker/ab-protocol';
import { commands } from '../store/engine';
import { parseHash } from '../store/location';
import { applyFrame, createSimStore, useSim, type SimState } from '../store/sim-store';
import { abHashPart, takeAbLink, type AbLinkSetup } from './ab-link';

export type AbSide = 0 | 1;

export interface AbState {
  readonly open: boolean;
  /** The setup the form shows (what Run compares). */
  readonly knob: AbKnobId;
  readonly a: string;
  readonly b: string;
  readonly seedText: string;
  /** The setup running now, or null before the first run. */
  readonly running: AbSetup | null;
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  /** A bad setup, a bad link or a worker failure, in words. */
  readonly error: string | null;
  readonly labels: readonly [string, string];
  readonly stores: readonly [StoreApi<SimState>, StoreApi<SimState>];
  readonly nowMs: number;
  readonly durationMs: number;
  readonly playing: boolean;
  readonly speed: number;
  /** undefined while searching; null when the runs agree to the end. */
  readonly difference: FirstDifference | null | undefined;
  readonly searchedMs: number;
  /** `s=…` of the base scenario, from the worker. */
  readonly baseHash: string;
  /** On a phone one run is shown at a time: this one. */
  readonly shown: AbSide;
}

export const AB_SPEEDS = [0.02, 0.1, 0.5, 2] as const;

export const useAb = create<AbState>(() => ({
  open: false,
  knob: 'prevote',
  a: 'off',
  b: 'on',
  seedText: '',
  running: null,
  status: 'idle',
  error: null,
  labels: ['', ''],
  stores: [createSimStore(), createSimStore()],
  nowMs: 0,
  durationMs: 0,
  playing: false,
  speed: 0.1,
  difference: undefined,
  searchedMs: 0,
  baseHash: '',
  shown: 0,
}));

let worker: Worker | null = null;

function send(message: ToAbWorker): void {
  worker?.postMessage(message);
}

function onMessage(message: FromAbWorker): void {
  const state = useAb.getState();
  switch (message.type) {
    case 'loaded': {
      const recorded = useSim.getState().recorded;
      const stores = [createSimStore(), createSimStore()] as const;
      stores.forEach((store, i) => store.setState({ info: message.info[i]!, horizonMs: message.durationMs, recorded }));
      useAb.setState({ status: 'ready', error: null, labels: message.labels, stores, durationMs: message.durationMs, baseHash: message.baseHash, nowMs: 0, playing: false });
      return;
    }
    case 'frames':
      message.frames.forEach((frame, i) => applyFrame(frame, state.stores[i as AbSide]));
      useAb.setState({ nowMs: message.nowMs, playing: message.playing });
      requestAnimationFrame(() => send({ type: 'frameTaken' }));
      return;
    case 'difference':
      useAb.setState({ difference: message.difference, searchedMs: message.searchedMs });
      return;
    case 'load-error':
      useAb.setState({ status: 'error', error: message.message, playing: false });
      return;
    case 'crashed':
      useAb.setState({ status: 'error', error: `The comparison stopped: ${message.message}`, playing: false });
      return;
  }
}

function startWorker(): void {
  if (worker) return;
  worker = new Worker(new URL('../../worker/ab.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromAbWorker>) => onMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    onMessage({ type: 'crashed', message: event.message || 'the comparison worker could not run' });
  };
  send({ type: 'setSpeed', speed: useAb.getState().speed });
}

/** The first setting this scenario can be compared on, for a first opening. */
function firstUsable(scenario: Scenario): AbKnobId {
  return (AB_KNOBS.find((knob) => knob.unusable(scenario) === null) ?? AB_KNOBS[0]!).id;
}

/** The seed the form holds, or what is wrong with it. */
export function seedOf(text: string): number | string {
  const trimmed = text.trim();
  if (!/^[0-9]{1,10}$/.test(trimmed) || Number(trimmed) > AB_SEED_MAX) return `The seed must be a whole number from 0 to ${AB_SEED_MAX}.`;
  return Number(trimmed);
}

/** Runs the setup the form holds on the playground's recorded scenario. */
export function runAb(): void {
  const { knob, a, b, seedText } = useAb.getState();
  const base = useSim.getState().recorded;
  if (!base) {
    useAb.setState({ status: 'error', error: 'The playground has no scenario open yet.' });
    return;
  }
  const seed = seedOf(seedText);
  if (typeof seed === 'string') {
    useAb.setState({ status: 'error', error: seed });
    return;
  }
  startWorker();
  const setup: AbSetup = { knob, a, b, seed };
  useAb.setState({ running: setup, status: 'loading', error: null, difference: undefined, searchedMs: 0, playing: false, nowMs: 0 });
  send({ type: 'load', base, setup });
}

/** Opens the view; the first time (or for a link's setup) it runs at once. */
export function openAb(from?: AbLinkSetup): void {
  commands.pause();
  const base = useSim.getState().recorded;
  const state = useAb.getState();
  if (from) {
    useAb.setState({ open: true, knob: from.knob as AbKnobId, a: from.a, b: from.b, seedText: String(from.seed ?? base?.seed ?? 0) });
  } else if (state.running === null && base) {
    const knob = abKnob(state.knob)?.unusable(base) === null ? state.knob : firstUsable(base);
    const values = abKnob(knob)!.values;
    useAb.setState({ open: true, knob, a: values[0].id, b: values[1].id, seedText: String(base.seed) });
  } else {
    useAb.setState({ open: true });
  }
  if (from || useAb.getState().running === null) runAb();
}

export function closeAb(): void {
  send({ type: 'pause' });
  useAb.setState({ open: false, playing: false });
}

/** Another setting: its two values, A the first and B the second. */
export function chooseKnob(id: AbKnobId): void {
  const knob = abKnob(id);
  if (!knob) return;
  useAb.setState({ knob: id, a: knob.values[0].id, b: knob.values[1].id });
}

export function chooseValue(side: 'a' | 'b', value: string): void {
  useAb.setState(side === 'a' ? { a: value } : { b: value });
}

export const abCommands = {
  play: () => send({ type: 'play' }),
  pause: () => send({ type: 'pause' }),
  toggle: () => (useAb.getState().playing ? send({ type: 'pause' }) : send({ type: 'play' })),
  seek: (atMs: number) => send({ type: 'seek', atMs }),
  setSpeed: (speed: number) => {
    useAb.setState({ speed });
    send({ type: 'setSpeed', speed });
  },
  show: (side: AbSide) => useAb.setState({ shown: side }),
};

/**
 * The address that reopens this comparison: the playground's preset when the run is that preset
 * untouched, else the recorded scenario itself (`#s=`), then the A/B part.
 */
export function abLink(): string | null {
  const { running, baseHash } = useAb.getState();
  if (!running || baseHash === '') return null;
  const target = parseHash(location.hash).target;
  const untouched = useSim.getState().actionCount === 0 && target.kind === 'preset';
  const scenario = untouched ? `#preset=${target.id}` : baseHash;
  return `${location.origin}${location.pathname}${location.search}${scenario}${abHashPart(running)}`;
}

/** A link's A/B part, taken once the playground has opened the link's scenario. */
function openLinked(): void {
  const link = takeAbLink();
  if (!link) return;
  if (link.ok) {
    openAb(link.setup);
    return;
  }
  commands.pause();
  useAb.setState({ open: true, status: 'error', error: link.message });
}

if (useSim.getState().recorded) openLinked();
useSim.subscribe((state, previous) => {
  if (state.recorded && state.recorded !== previous.recorded) openLinked();
});
