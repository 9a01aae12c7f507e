/**
 * The page's side of the worker: starts it, sends it commands, feeds its frames to the store,
 * autosaves, and restarts it from the recorded scenario if it fails. Every user action goes
 * through `act`, so the worker records it at the simulated time it happened.
 */
import type { ChallengeResult, UserAction } from '../../sim';
import type { FromWorker, ScenarioSource, ToWorker } from '../../worker/protocol';
import { courseOf, type ScenarioListing } from '../lessons/gallery-sections';
import { BUILTIN_SCENARIO } from './default-scenario';
import { parseHash, replaceHash } from './location';
import { loadSavedRun, saveRun } from './persistence';
import { applyFrame, useSim } from './sim-store';

export type { ScenarioListing } from '../lessons/gallery-sections';

function listingOf(x: Record<string, unknown>): ScenarioListing {
  const text = (key: string) => (typeof x[key] === 'string' ? { [key]: x[key] as string } : {});
  const number = (key: string) => (typeof x[key] === 'number' && Number.isFinite(x[key]) ? { [key]: x[key] as number } : {});
  return {
    id: x.id as string,
    title: typeof x.title === 'string' ? x.title : (x.id as string),
    ...text('summary'),
    ...text('section'),
    ...number('sectionOrder'),
    ...text('goal'),
    ...number('minutes'),
    ...(x.guided === true ? { guided: true } : {}),
  };
}

const AUTOSAVE_EVERY_MS = 1000;

let worker: Worker | null = null;
let lastSaveWallMs = 0;
let pendingLink: ((hash: string) => void) | null = null;
let pendingJudgement: ((result: ChallengeResult | null) => void) | null = null;
/** The hash this run was opened from; autosave is keyed by it. */
let openedHash = '';
/**
 * One entry per load sent and not yet answered (the worker answers each with `loaded` or
 * `load-error`, in order): for a scenario the user handed over (a file, the editor), the heading
 * its error gets; null for the rest.
 */
let pendingLoads: ({ readonly failedTitle: string } | null)[] = [];
/**
 * In an embed (`?embed=1`) the page neither autosaves nor reopens a saved run: an article's
 * scenario must open as written, and must not overwrite the reader's own playground run. It
 * also opens paused, so that a post with several embeds does not run them all at once.
 */
let embedded = false;

function send(message: ToWorker): void {
  worker?.postMessage(message);
}

function autosave(force: boolean): void {
  const { recorded, nowMs, status } = useSim.getState();
  if (embedded || !recorded || status !== 'running') return;
  const wallMs = performance.now();
  if (!force && wallMs - lastSaveWallMs < AUTOSAVE_EVERY_MS) return;
  lastSaveWallMs = wallMs;
  saveRun({ hash: openedHash, scenario: recorded, atMs: Math.floor(nowMs) });
}

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'frame':
      applyFrame(message.frame);
      requestAnimationFrame(() => send({ type: 'frameTaken' }));
      autosave(false);
      return;
    case 'loaded':
      if (pendingLoads.shift()) {
        // The run is the user's own now, not the link's: reload reopens it from the autosave.
        openedHash = '';
        replaceHash('');
      }
      useSim.setState({ info: message.info, loadError: null, crashMessage: null, horizonMs: message.info.durationMs, talkedLinks: [], meters: null, chart: [], failover: null, selection: null, log: [], announcement: '', partitionPick: null, menu: null, hasWatches: false });
      return;
    case 'recorded':
      useSim.setState({ recorded: message.scenario, actionCount: message.actions });
      autosave(true);
      return;
    case 'load-error': {
      const loadErrorTitle = pendingLoads.shift()?.failedTitle ?? null;
      useSim.setState((s) => ({ loadError: message.message, loadErrorTitle, status: s.status === 'running' ? 'running' : 'load-error' }));
      return;
    }
    case 'link':
      pendingLink?.(message.hash);
      pendingLink = null;
      return;
    case 'report':
      saveFile(message.fileName, message.text);
      return;
    case 'judged':
      pendingJudgement?.(message.result);
      pendingJudgement = null;
      return;
    case 'crashed':
      useSim.setState({ status: 'crashed', crashMessage: message.message, playing: false });
      return;
  }
}

export function saveFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function startWorker(): void {
  worker?.terminate();
  pendingLoads = [];
  worker = new Worker(new URL('../../worker/sim.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    onMessage({ type: 'crashed', message: event.message || 'the simulation worker could not run' });
  };
  const { speed, skipQuiet } = useSim.getState();
  send({ type: 'setSpeed', speed });
  send({ type: 'setSkipQuiet', on: skipQuiet });
}

/** Whether the run on screen was opened at a moment a link named (`&t=`), rather than resumed from the autosave or started. */
let openedAtLinkMoment = false;

/**
 * Whether the lesson progress saved in this browser may be restored for the run being opened:
 * not in an embed (which keeps nothing of the reader's), and not when a link named the moment to
 * show (the lesson step is then the one for that moment, not the one the reader last saw).
 */
export function lessonProgressRestorable(): boolean {
  return !embedded && !openedAtLinkMoment;
}

/** Whether lesson progress is remembered at all: an embed never writes to the reader's storage. */
export function lessonProgressKept(): boolean {
  return !embedded;
}

/**
 * Opens `source` at `atMs` (paused) or, without a moment, from the start: playing, except in an
 * embed or a lesson (a scenario with steps, whether a preset's file or carried in a `#s=` link:
 * the worker, which decodes the link, tells), which opens paused on step 1.
 */
function load(source: ScenarioSource, atMs: number | null, hash: string, resumed = false): void {
  openedHash = hash;
  openedAtLinkMoment = atMs !== null && !resumed;
  pendingLoads.push(null);
  send({ type: 'load', source, atMs: atMs ?? 0, play: atMs === null && !embedded, lessonOpensPaused: true });
}

export async function fetchScenarioList(): Promise<ScenarioListing[]> {
  try {
    const response = await fetch(new URL('scenarios/index.json', document.baseURI));
    if (!response.ok) return [];
    const value: unknown = await response.json();
    const list = Array.isArray(value) ? value : (value as { scenarios?: unknown }).scenarios;
    if (!Array.isArray(list)) return [];
    return list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && typeof (x as ScenarioListing).id === 'string').map(listingOf);
  } catch {
    return [];
  }
}

async function fetchPreset(id: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  try {
    const response = await fetch(new URL(`scenarios/${encodeURIComponent(id)}.json`, document.baseURI));
    if (response.status === 404) return { ok: false, message: `There is no bundled scenario called “${id}”.` };
    if (!response.ok) return { ok: false, message: `The bundled scenario “${id}” could not be fetched (HTTP ${response.status}).` };
    const text = await response.text();
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, message: `There is no bundled scenario called “${id}” (the server did not send a scenario file).` };
    }
  } catch {
    return { ok: false, message: `The bundled scenario “${id}” could not be fetched: the network failed.` };
  }
}

/** Opens whatever the current hash asks for (or the saved run for that same hash). */
export async function openFromLocation(): Promise<void> {
  const hash = location.hash;
  const saved = embedded ? null : loadSavedRun();
  if (saved && saved.hash === hash) {
    load({ kind: 'json', value: saved.scenario, origin: 'your last session' }, saved.atMs, hash, true);
    return;
  }
  const { target, atMs } = parseHash(hash);
  switch (target.kind) {
    case 'none':
      return openDefault();
    case 'bad':
      useSim.setState({ status: 'load-error', loadError: target.message, loadErrorTitle: null });
      return;
    case 'encoded':
      return load({ kind: 'encoded', encoded: target.encoded }, atMs, hash);
    case 'preset':
      return openPreset(target.id, atMs);
  }
}

export async function openPreset(id: string, atMs: number | null = null): Promise<void> {
  const fetched = await fetchPreset(id);
  if (!fetched.ok) {
    useSim.setState({ status: 'load-error', loadError: fetched.message, loadErrorTitle: null });
    return;
  }
  const hash = `#preset=${id}${atMs !== null ? `&t=${atMs}` : ''}`;
  if (location.hash !== hash) replaceHash(hash);
  load({ kind: 'json', value: fetched.value, origin: `the bundled scenario “${id}”` }, atMs, hash);
}

/** The first lesson of the course (the gallery's "Start here"), or the built-in scenario when the list cannot be read. */
export async function openDefault(): Promise<void> {
  const first = courseOf(await fetchScenarioList()).lessons[0];
  if (first) return openPreset(first.id);
  replaceHash('');
  load({ kind: 'json', value: BUILTIN_SCENARIO, origin: 'the built-in scenario' }, null, '');
}

/**
 * Opens a scenario the user handed over (a file, the editor), from the start, playing. The worker
 * validates it like a link; only once it has loaded does the address lose the old link, so a bad
 * one leaves the run, its link and its autosave as they were, and its error gets `failedTitle`.
 */
export function openUserScenario(value: unknown, origin: string, failedTitle: string): void {
  pendingLoads.push({ failedTitle });
  send({ type: 'load', source: { kind: 'json', value, origin }, atMs: 0, play: true });
}

/** Reopens the last autosaved run, whatever link it came from. */
export function openSaved(): boolean {
  const saved = loadSavedRun();
  if (!saved) return false;
  replaceHash(saved.hash);
  load({ kind: 'json', value: saved.scenario, origin: 'your last session' }, saved.atMs, saved.hash, true);
  return true;
}

/** Opens a scenario handed over as a JSON value (an embedding page's `load`); the worker validates it like any file. */
export function openScenarioValue(value: unknown, origin: string): void {
  load({ kind: 'json', value, origin }, null, '');
}

/** The page opened without a link and without a run of the user's own to reopen: the lesson gallery greets it. */
let firstVisit = false;

export function isFirstVisit(): boolean {
  return firstVisit;
}

/**
 * An embed plays at this speed (the playground at 0.02×): a reader of an article gives it seconds,
 * not minutes. Messages are still drawn travelling (the worker stretches short trips).
 */
export const EMBED_SPEED = 0.1;

export function boot(options: { readonly embedded?: boolean } = {}): void {
  embedded = options.embedded ?? false;
  if (embedded) useSim.setState({ speed: EMBED_SPEED });
  firstVisit = !embedded && location.hash === '' && loadSavedRun()?.hash !== '';
  startWorker();
  void openFromLocation();
  addEventListener('hashchange', () => void openFromLocation());
  addEventListener('pagehide', () => autosave(true));
}

/** After the worker failed: a fresh worker, the recorded scenario, the same moment, paused. */
export function restartWorker(): void {
  const { recorded, nowMs } = useSim.getState();
  startWorker();
  useSim.setState({ status: 'starting', crashMessage: null });
  if (recorded) load({ kind: 'json', value: recorded, origin: 'your recorded run' }, Math.floor(nowMs), openedHash);
  else void openFromLocation();
}

export const commands = {
  play: () => send({ type: 'play' }),
  pause: () => send({ type: 'pause' }),
  step: () => send({ type: 'step' }),
  seek: (atMs: number) => send({ type: 'seek', atMs }),
  /** Seeks to `atMs` and plays from there (the embed's "skip to the moment"). */
  playFrom: (atMs: number) => {
    send({ type: 'seek', atMs });
    send({ type: 'play' });
  },
  setSpeed: (speed: number) => {
    useSim.setState({ speed });
    send({ type: 'setSpeed', speed });
  },
  setSkipQuiet: (on: boolean) => {
    useSim.setState({ skipQuiet: on });
    send({ type: 'setSkipQuiet', on });
  },
  act: (action: UserAction) => send({ type: 'act', action }),
  /** Where playing stops by itself: the times of the lesson's questions not yet answered. */
  setStops: (atMs: readonly number[]) => send({ type: 'setStops', atMs }),
  /** Where a playing clock waits until the frame showing that moment is sent: the times of the lesson's steps, so no card is skipped. */
  setMarks: (atMs: readonly number[]) => send({ type: 'setMarks', atMs }),
  /** Back to `atMs`, paused, with the actions recorded after it (and at it, unless `keepAt`) forgotten: a lesson step's rewind. */
  rewind: (atMs: number, keepAt: boolean) => send({ type: 'rewind', atMs, keepAt }),
  /** Downloads the report of this run (the recorded scenario played to its end), as the CLI prints it. */
  downloadReport: () => send({ type: 'makeReport' }),
  /** Downloads the trace of the same run (NDJSON), as `npm run sim --trace` writes it. */
  downloadTrace: () => send({ type: 'makeTrace' }),
  /** Resolves with the challenge's verdict on the recorded run, played to its end (null without a challenge). */
  judge: () =>
    new Promise<ChallengeResult | null>((resolve) => {
      pendingJudgement = resolve;
      send({ type: 'judge' });
    }),
  /** Seeks, paused, to the notable event before or after the moment on screen. */
  previousEvent: () => send({ type: 'jumpEvent', direction: -1 }),
  nextEvent: () => send({ type: 'jumpEvent', direction: 1 }),
  /** Resolves with the full address that reopens the recorded run at the moment on screen (`&t=`), paused. */
  makeLink: () =>
    new Promise<string>((resolve) => {
      pendingLink = (runHash) => {
        const hash = `${runHash}&t=${Math.floor(useSim.getState().nowMs)}`;
        openedHash = hash;
        replaceHash(hash);
        autosave(true);
        resolve(`${location.origin}${location.pathname}${location.search}${hash}`);
      };
      send({ type: 'makeLink' });
    }),
};
