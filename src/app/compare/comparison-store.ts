/**
 * The strategy comparison on the page's side. The comparison runs in a worker of its own (the
 * same worker script as the playground, asked with `compare`), so the playground's run keeps
 * animating and the page stays responsive while five scenarios are simulated to their end.
 * The worker is ended once it has answered; a new request starts a fresh one.
 */
import { create } from 'zustand';
import type { Comparison, DisasterId } from '../../sim';
import type { FromWorker, ToWorker } from '../../worker/protocol';

export interface ComparisonProgress {
  readonly done: number;
  readonly total: number;
  readonly running: string;
}

export interface ComparisonState {
  readonly open: boolean;
  readonly disaster: DisasterId;
  readonly status: 'idle' | 'running' | 'done' | 'error';
  readonly progress: ComparisonProgress | null;
  readonly comparison: Comparison | null;
  /** The `#s=` hash that opens each row's run, in row order. */
  readonly links: readonly string[];
  readonly error: string | null;
}

export const useComparison = create<ComparisonState>(() => ({
  open: false,
  disaster: 'disk',
  status: 'idle',
  progress: null,
  comparison: null,
  links: [],
  error: null,
}));

let worker: Worker | null = null;

function stopWorker(): void {
  worker?.terminate();
  worker = null;
}

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'compare-progress':
      useComparison.setState({ progress: { done: message.done, total: message.total, running: message.running } });
      return;
    case 'compared':
      stopWorker();
      useComparison.setState({ status: 'done', comparison: message.comparison, links: message.links, progress: null, error: null });
      return;
    case 'compare-error':
    case 'crashed':
      stopWorker();
      useComparison.setState({ status: 'error', error: message.message, progress: null });
      return;
    default:
      return;
  }
}

/** Runs the comparison for `disaster` (the one chosen, by default). */
export function runComparison(disaster: DisasterId = useComparison.getState().disaster): void {
  stopWorker();
  const next = new Worker(new URL('../../worker/sim.worker.ts', import.meta.url), { type: 'module' });
  next.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
  next.onerror = (event) => {
    event.preventDefault();
    onMessage({ type: 'compare-error', disaster, message: event.message || 'the comparison worker could not run' });
  };
  worker = next;
  useComparison.setState({ disaster, status: 'running', progress: null, error: null });
  const request: ToWorker = { type: 'compare', disaster };
  next.postMessage(request);
}

export function chooseDisaster(disaster: DisasterId): void {
  useComparison.setState({ disaster });
}

/** Opens the comparison; the first time, it starts the run for the chosen disaster. */
export function openComparison(): void {
  useComparison.setState({ open: true });
  if (useComparison.getState().status === 'idle') runComparison();
}

export function closeComparison(): void {
  useComparison.setState({ open: false });
}

/** Loads one row's run into the playground through the link path (`#s=`), as a shared link would. */
export function openRun(hash: string): void {
  closeComparison();
  if (location.hash === hash) dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
