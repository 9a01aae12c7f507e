/**
 * The A/B comparison's worker: builds the two runs of one comparison (the base scenario with one
 * setting each way, on one seed), plays them on one clock (ab-pair.ts), streams both frames
 * together, and meanwhile searches, headless, for the first moment their traces part. Any
 * exception becomes a `crashed` message, which the page shows in words.
 */
import { abKnob, abProblem, abScenario, abValueLabel, DifferenceSearch, preloadPrograms, type Scenario } from '../sim';
import type { FromAbWorker, ToAbWorker } from './ab-protocol';
import { AbPair } from './ab-pair';
import { loadedInfo } from './loaded-info';
import { linkHash, openScenario } from './scenario-input';
import { errorText, everyFrame, guardWith } from './worker-loop';

/** The A/B view's default speed: faster than the playground's, since two runs are watched for where they part. */
export const AB_DEFAULT_SPEED = 0.1;
/** The search for the first difference takes at most this much wall time a tick, so playback stays smooth. */
const SEARCH_BUDGET_WALL_MS = 12;

let pair: AbPair | null = null;
let search: DifferenceSearch | null = null;
let speed = AB_DEFAULT_SPEED;
let frameTaken = true;
let dirty = true;
/** Counts loads: a load whose programs arrive after a newer load was asked is dropped. */
let loads = 0;

function post(message: FromAbWorker): void {
  self.postMessage(message);
}

const guarded = guardWith((message) => {
  pair = null;
  search = null;
  post({ type: 'crashed', message });
});

async function load(message: Extract<ToAbWorker, { type: 'load' }>): Promise<void> {
  const asked = ++loads;
  pair = null;
  search = null;
  const opened = openScenario({ kind: 'json', value: message.base, origin: 'the playground' });
  if (!opened.ok) return post({ type: 'load-error', message: opened.message });
  const base = opened.scenario;
  const problem = abProblem(base, message.setup);
  if (problem) return post({ type: 'load-error', message: problem });
  const { knob, a, b, seed } = message.setup;
  const sides: [Scenario, Scenario] = [abScenario(base, knob, a, seed), abScenario(base, knob, b, seed)];
  let baseHash: string;
  try {
    await Promise.all(sides.map((side) => preloadPrograms(side.topology)));
    baseHash = await linkHash(base);
  } catch (error) {
    return post({ type: 'load-error', message: `The simulation's code for this comparison could not be loaded: ${String(error)}` });
  }
  if (asked !== loads) return;
  guarded(() => {
    const next = new AbPair(sides[0], sides[1], speed);
    const found = abKnob(knob)!;
    post({
      type: 'loaded',
      info: [loadedInfo(sides[0], next.sessions[0]), loadedInfo(sides[1], next.sessions[1])],
      labels: [abValueLabel(found, a), abValueLabel(found, b)],
      durationMs: next.endMs,
      baseHash,
    });
    pair = next;
    search = new DifferenceSearch(sides[0], sides[1], next.endMs);
    dirty = true;
    frameTaken = true;
  });
}

function handle(message: ToAbWorker): void {
  if (message.type === 'load') {
    void load(message).catch((error: unknown) => post({ type: 'crashed', message: errorText(error) }));
    return;
  }
  if (message.type === 'frameTaken') {
    frameTaken = true;
    return;
  }
  if (message.type === 'setSpeed') speed = message.speed;
  const p = pair;
  if (!p) return;
  dirty = true;
  switch (message.type) {
    case 'play':
      if (p.nowMs >= p.endMs) p.seek(0);
      p.playing = true;
      return;
    case 'pause':
      p.playing = false;
      return;
    case 'seek':
      p.playing = false;
      p.seek(Math.min(Math.max(0, message.atMs), p.endMs));
      return;
    case 'setSpeed':
      p.speed = message.speed;
      return;
  }
}

function searchOn(): void {
  const s = search;
  if (!s) return;
  const started = performance.now();
  while (performance.now() - started < SEARCH_BUDGET_WALL_MS) {
    if (!s.step()) continue;
    search = null;
    post({ type: 'difference', difference: s.result ?? null, searchedMs: s.searchedMs });
    return;
  }
}

/** Moves both runs on by the wall time since the last tick, sends their frames once the page has drawn the last, and searches on. */
function tick(elapsedWallMs: number): void {
  const p = pair;
  if (!p) return;
  if (p.playing) p.advance(elapsedWallMs, () => performance.now());
  if ((dirty || p.playing) && frameTaken) {
    post({ type: 'frames', nowMs: p.nowMs, playing: p.playing, frames: p.frames() });
    frameTaken = false;
    dirty = false;
  }
  searchOn();
}

self.onmessage = (event: MessageEvent<ToAbWorker>) => guarded(() => handle(event.data));
everyFrame((elapsedWallMs) => guarded(() => tick(elapsedWallMs)));
