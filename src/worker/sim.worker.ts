/**
 * The simulation worker: owns the Session, answers the page's messages, and streams a frame
 * per display frame while the page keeps up. Any exception becomes a `crashed` message, so the
 * page can say what happened and restart from the recorded scenario.
 */
import {
  preloadPrograms,
  loadComparison,
  loadSweep,
  type ComparisonRow,
  type DisasterId,
  type Scenario,
} from '../sim';
import type { FromWorker, ToWorker } from './protocol';
import { judgementOf, openLink, openScenario, linkHash, reportOf, traceOf, type Opened } from './scenario-input';
import { Session } from './session';
import { loadedInfo } from './loaded-info';
import { errorText, everyFrame, guardWith } from './worker-loop';

/** The default speed: a vote (a few ms on a local link) takes about a tenth of a second to travel. */
export const DEFAULT_SPEED = 0.02;

let session: Session | null = null;
let speed = DEFAULT_SPEED;
let skipQuiet = true;
let frameTaken = true;
let dirty = true;
let lastWallMs = performance.now();
/** Seeks arrive in bursts while a slider is dragged; only the latest one is worth simulating. */
let pendingSeekMs: number | null = null;

/** What the page may ask of the run as recorded (its scenario with every user action in it), each answered in one message. */
const FROM_RECORDED: Readonly<Record<'makeLink' | 'makeReport' | 'judge' | 'makeTrace', (scenario: Scenario) => Promise<FromWorker>>> = {
  makeLink: async (scenario) => ({ type: 'link', hash: await linkHash(scenario) }),
  makeReport: async (scenario) => ({ type: 'report', ...(await reportOf(scenario)) }),
  judge: async (scenario) => ({ type: 'judged', result: await judgementOf(scenario) }),
  makeTrace: async (scenario) => ({ type: 'report', ...(await traceOf(scenario)) }),
};

function post(message: FromWorker): void {
  self.postMessage(message);
}

const guarded = guardWith((message) => {
  session = null;
  post({ type: 'crashed', message });
});

function postRecorded(s: Session): void {
  post({ type: 'recorded', scenario: s.recordedScenario(), actions: s.actionCount });
}

/**
 * Set while a load waits for the node programs its scenario runs to download: the messages that
 * arrive meanwhile (play, seek, an action) are handled after it, in order.
 */
let waiting: Promise<void> | null = null;

/** Runs `work` once what is waiting is done (at once when nothing is). */
function afterWaiting(work: () => Promise<void> | void): void {
  const queued = (waiting ?? Promise.resolve()).then(work);
  waiting = queued;
  void queued.then(() => {
    if (waiting === queued) waiting = null;
  });
}

function load(message: Extract<ToWorker, { type: 'load' }>): void {
  const { source } = message;
  if (source.kind === 'json') {
    const opened = openScenario(source);
    const programs = opened.ok ? preloadPrograms(opened.scenario.topology) : null;
    if (programs === null) return begin(message, opened);
    return afterWaiting(() => programs.then(() => guarded(() => begin(message, opened)), codeNotLoaded));
  }
  // The link's decoder, then the programs it runs, in one piece of work: what arrives meanwhile waits for both.
  afterWaiting(() =>
    openLink(source.encoded)
      .then(async (opened) => {
        if (opened.ok) await preloadPrograms(opened.scenario.topology);
        return opened;
      })
      .then((opened) => guarded(() => begin(message, opened)), codeNotLoaded),
  );
}

function begin(message: Extract<ToWorker, { type: 'load' }>, opened: Opened): void {
  if (opened.ok) start(message, opened.scenario);
  else post({ type: 'load-error', message: opened.message });
}

function codeNotLoaded(error: unknown): void {
  post({ type: 'load-error', message: `The simulation's code for this scenario could not be loaded: ${String(error)}` });
}

function start(message: Extract<ToWorker, { type: 'load' }>, scenario: Scenario): void {
  const next = new Session(scenario, speed);
  next.skipQuiet = skipQuiet;
  if (message.atMs > 0) next.seek(message.atMs);
  next.playing = message.play && !(message.lessonOpensPaused === true && (scenario.steps?.length ?? 0) > 0);
  session = next;
  post({ type: 'loaded', info: loadedInfo(scenario, next) });
  postRecorded(next);
  dirty = true;
  frameTaken = true;
}

/** Counts comparison requests: a newer one stops an older one between its runs. */
let comparisonsAsked = 0;

/**
 * Runs the comparison one strategy per task, saying before each which one runs. Its code is
 * loaded on the first request: most pages (an embed, a lesson) never ask, and should not download it.
 */
async function compare(disaster: unknown): Promise<void> {
  const { comparisonOf, runStrategy, comparisonScenario, isDisasterId, STRATEGY_IDS, strategyOf } = await loadComparison();
  if (!isDisasterId(disaster)) return;
  await Promise.all(STRATEGY_IDS.map((strategy) => preloadPrograms(comparisonScenario(strategy, disaster).topology)));
  const asked = ++comparisonsAsked;
  const rows: ComparisonRow[] = [];
  const next = () => {
    if (asked !== comparisonsAsked) return;
    try {
      const strategy = STRATEGY_IDS[rows.length]!;
      post({ type: 'compare-progress', disaster, done: rows.length, total: STRATEGY_IDS.length, running: strategyOf(strategy).label });
      rows.push(runStrategy(strategy, disaster));
      if (rows.length < STRATEGY_IDS.length) {
        setTimeout(next, 0);
        return;
      }
      void Promise.all(rows.map((row) => linkHash(comparisonScenario(row.strategy, disaster)))).then(
        (links) => post({ type: 'compared', comparison: comparisonOf(disaster, rows), links }),
        (error: unknown) => post({ type: 'compare-error', disaster, message: errorText(error) }),
      );
    } catch (error) {
      post({ type: 'compare-error', disaster, message: errorText(error) });
    }
  };
  setTimeout(next, 0);
}

/** One run of the page's sweep; its code loads with the first one (most pages never sweep). */
async function sweep(scenario: Scenario, seed: number): Promise<void> {
  try {
    const { runSeed } = await loadSweep();
    await preloadPrograms(scenario.topology);
    post({ type: 'swept', run: runSeed(scenario, seed) });
  } catch (error) {
    post({ type: 'sweep-error', seed, message: errorText(error) });
  }
}

function handle(message: ToWorker): void {
  if (message.type === 'load') return load(message);
  if (message.type === 'sweep') {
    void sweep(message.scenario, message.seed);
    return;
  }
  if (message.type === 'compare') {
    compare(message.disaster).catch((error: unknown) => {
      const disaster: DisasterId = message.disaster;
      post({ type: 'compare-error', disaster, message: errorText(error) });
    });
    return;
  }
  if (message.type === 'frameTaken') {
    frameTaken = true;
    return;
  }
  if (message.type === 'setSpeed') speed = message.speed;
  if (message.type === 'setSkipQuiet') skipQuiet = message.on;
  const s = session;
  if (!s) return;
  dirty = true;
  switch (message.type) {
    case 'play':
      if (!s.playing) s.rate.reset();
      s.playing = true;
      lastWallMs = performance.now();
      return;
    case 'pause':
      s.playing = false;
      return;
    case 'step':
      s.playing = false;
      s.step();
      return;
    case 'jumpEvent':
      s.playing = false;
      pendingSeekMs = null;
      if (message.direction < 0) s.previousEvent();
      else s.nextEvent();
      return;
    case 'setSpeed':
      s.speed = message.speed;
      s.rate.reset();
      return;
    case 'setStops':
      s.stopsAtMs = [...message.atMs].sort((a, b) => a - b);
      return;
    case 'setMarks':
      s.marksAtMs = [...message.atMs].sort((a, b) => a - b);
      return;
    case 'setSkipQuiet':
      s.skipQuiet = message.on;
      s.rate.reset();
      return;
    case 'seek':
      s.playing = false;
      pendingSeekMs = message.atMs;
      return;
    case 'act':
      s.act(message.action);
      postRecorded(s);
      return;
    case 'rewind':
      s.playing = false;
      pendingSeekMs = null;
      s.rewind(message.atMs, message.keepAt);
      postRecorded(s);
      return;
    case 'makeLink':
    case 'makeReport':
    case 'judge':
    case 'makeTrace':
      // Answered once the link encoder has loaded (the first time); a failure ends the session as a throw here would.
      void FROM_RECORDED[message.type](s.recordedScenario()).then(post, (error: unknown) => {
        if (session === s) session = null;
        post({ type: 'crashed', message: errorText(error) });
      });
      return;
  }
}

/** Wall time per tick the session's scout may run ahead (session.ts), paused and while playing. */
const SCOUT_WALL_MS_PAUSED = 30;
const SCOUT_WALL_MS_PLAYING = 8;

function tick(): void {
  const nowWallMs = performance.now();
  const elapsedWallMs = nowWallMs - lastWallMs;
  lastWallMs = nowWallMs;
  const s = session;
  if (!s) return;
  if (pendingSeekMs !== null) {
    s.seek(pendingSeekMs);
    pendingSeekMs = null;
    dirty = true;
  }
  if (s.playing) {
    s.advance(elapsedWallMs, () => performance.now());
    dirty = true;
  }
  if (dirty && frameTaken) {
    post({ type: 'frame', frame: s.frame() });
    frameTaken = false;
    dirty = false;
    s.atMark = false; // the moment at the mark is on its way to the page: the clock may go on
  }
  // Idle time goes to running ahead for checkpoints, so that a seek to a moment not shown yet is quick.
  if (pendingSeekMs === null) s.scoutAhead(s.playing ? SCOUT_WALL_MS_PLAYING : SCOUT_WALL_MS_PAUSED, () => performance.now());
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  if (waiting !== null) afterWaiting(() => guarded(() => handle(event.data)));
  else guarded(() => handle(event.data));
};
everyFrame(() => guarded(tick));
