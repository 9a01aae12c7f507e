/**
 * One playback session: the Simulation, the user's recorded actions and the clock that maps
 * wall time to simulated time. It touches no worker globals, so it can be tested in Node.
 *
 * Seeking is deterministic re-simulation from the nearest checkpoint: as the run goes, the session
 * keeps a checkpoint of the simulation and of what it shows (chart, log, failover steps) every so
 * often (CheckpointStore, src/sim/checkpoint/store.ts, bounds how many); a seek restores the
 * latest one at or before the target into a Simulation built from the scenario with the recorded
 * actions written into its events, and runs on to the target. The kernel's lanes make a click
 * recorded at time t replay exactly as it happened live.
 */
import { CheckpointStore, describe, lessonMoment, Simulation, statechartsFor, type Checkpoint, type InFlightMessage, type Scenario, type ScenarioEvent, type TraceEvent, type UserAction } from '../sim';
import type { Faults, Frame, LogLine, StatechartOutline } from './protocol';
import { History, type HistoryState } from './history';
import { foldFailover, type FailoverProgress } from './failover-progress';
import { ClockRate } from './clock-rate';
import { DrawnMessages, type DrawnMessage } from './drawn-messages';

/** Sim ms per wall ms while nothing is on the wire and quiet skipping is on. */
export const QUIET_SPEED = 1;
/**
 * Traffic that flows all the time (WAL streaming, health checks, client requests through the load
 * balancer). While only this is on the wire, "hurry through quiet time" still hurries; otherwise a
 * scenario with a database or API servers would never be quiet and would crawl at the slow default
 * speed. Raft traffic, heartbeats included, still slows the clock so that votes and appends can be watched.
 */
const ROUTINE_FAMILIES: ReadonlySet<string> = new Set(['wal', 'wal-ack', 'health-check', 'health-reply', 'request', 'response']);
/** At most this many log lines travel in a frame after a seek; older ones stay in the trace. */
const LOG_LINES_AFTER_SEEK = 400;
/** A tick stops simulating after this much wall time, so the worker keeps answering. */
const TICK_BUDGET_WALL_MS = 40;
/** "Next event" looks this far ahead at most before it gives up (the run may be quiet for good). */
const NEXT_EVENT_LOOKAHEAD_MS = 10 * 60_000;

function withActions(scenario: Scenario, actions: readonly ScenarioEvent[]): Scenario {
  const events = [...scenario.events.map((e, i) => ({ e, i })), ...actions.map((e, i) => ({ e, i: scenario.events.length + i }))];
  events.sort((x, y) => x.e.atMs - y.e.atMs || x.i - y.i);
  return { ...scenario, events: events.map((x) => x.e) };
}

/**
 * The kernel lists only the nodes a partition names; everyone else (the `"*"` group) is added
 * here as a group of its own, so the page can say which side every node is on.
 */
export function withRestGroup(faults: Faults, nodeIds: readonly string[]): Faults {
  if (!faults.partition) return faults;
  const named = new Set(faults.partition.flat());
  const rest = nodeIds.filter((id) => !named.has(id));
  return rest.length > 0 ? { ...faults, partition: [...faults.partition, rest] } : faults;
}

/** A scout runs ahead this far at a time (simulated ms), checking its wall-time budget in between. */
const SCOUT_STEP_MS = 2_000;

function sameActions(a: readonly ScenarioEvent[], b: readonly ScenarioEvent[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A checkpoint of the session: the simulation's, and what the page is shown of the run up to it. */
interface SessionCheckpoint {
  readonly atMs: number;
  readonly sim: Checkpoint;
  /** The recorded actions as they were when it was taken (a checkpoint is of that run only). */
  readonly actions: readonly ScenarioEvent[];
  readonly history: HistoryState;
  readonly notableTimes: readonly number[];
  readonly latest: LogLine | null;
  readonly failover: FailoverProgress | null;
  readonly lostTold: number;
  readonly drawn: readonly InFlightMessage[];
  readonly recentLog: readonly LogLine[];
}

export class Session {
  readonly base: Scenario;
  private actions: ScenarioEvent[] = [];
  private sim!: Simulation;
  /** The shown time; the simulation stands at its floor (the kernel's time is whole ms). */
  private displayMs = 0;
  private pendingLog: LogLine[] = [];
  private logReset = true;
  private logSeq = 0;
  private history = new History();
  private chartReset = true;
  private failover: FailoverProgress | null = null;
  /** The simulated times of the notable events so far, in order (a rebuild replays them from 0). */
  private notableTimes: number[] = [];
  /** The latest notable line at or before the shown time: what the page's "latest event" says. */
  private latest: LogLine | null = null;
  /** The simulation whose trace is arriving, once built (its constructor traces too, before `sim` is set). */
  private tracing: Simulation | null = null;
  /** The Lost writes meter as the log last told it. */
  private lostTold = 0;
  /** Every message sent lately, kept while the page still draws it on its way (drawn-messages.ts). */
  private drawn = new DrawnMessages();
  /** The newest log lines (at most LOG_LINES_AFTER_SEEK once trimmed), kept for checkpoints. */
  private recentLog: LogLine[] = [];
  /** Checkpoints of this run, so a seek re-simulates only from the nearest one. */
  private checkpoints = new CheckpointStore<SessionCheckpoint>();

  /** The outlines of the machines this run's nodes run, keyed by machine id: sent to the page once per load. */
  statecharts(): Record<string, StatechartOutline> {
    return statechartsFor(this.base.topology, this.sim.nodes().map((node) => node.kind));
  }
  /** How fast the clock has really run lately, measured as it runs. */
  readonly rate = new ClockRate();
  playing = false;
  speed: number;
  skipQuiet = true;
  /**
   * Times at which a playing clock stops by itself (a lesson's question steps, which the learner
   * answers before the run shows what happens): however fast the run plays, it cannot skip one.
   */
  stopsAtMs: readonly number[] = [];
  /** Times a playing clock waits at until the frame showing that moment is sent (`setMarks` in protocol.ts), sorted. */
  marksAtMs: readonly number[] = [];
  /** The clock reached a mark: it goes on once the worker has sent the frame showing it (and clears this). */
  atMark = false;

  /**
   * A second session of the same run that goes ahead of the shown moment while the worker is idle,
   * only to take checkpoints into this one's store, so that a seek to a moment never shown yet is
   * quick too. Null until the first scouting, and whenever the recorded actions change.
   */
  private scout: Session | null = null;
  /** The recorded actions of the run last scouted to its end, or null. */
  private scouted: readonly ScenarioEvent[] | null = null;

  /** `shared`: the checkpoint store and recorded actions of the session a scout works for. */
  constructor(base: Scenario, speed: number, shared?: { readonly checkpoints: CheckpointStore<SessionCheckpoint>; readonly actions: readonly ScenarioEvent[] }) {
    this.base = base;
    this.speed = speed;
    if (shared) {
      this.checkpoints = shared.checkpoints;
      this.actions = [...shared.actions];
    }
    this.rebuild(0);
  }

  /**
   * Spends up to `budgetWallMs` of wall time running the scout ahead through the scenario's
   * duration, taking checkpoints on its way. Returns whether there is more to scout.
   */
  scoutAhead(budgetWallMs: number, wallClock: () => number): boolean {
    const endMs = this.base.durationMs;
    const startedWallMs = wallClock();
    if (this.scouted !== null && sameActions(this.scouted, this.actions)) return false;
    if (this.scout === null || !sameActions(this.scout.actions, this.actions)) {
      const scout = new Session(this.base, this.speed, { checkpoints: this.checkpoints, actions: this.actions });
      scout.seek(scout.usableCheckpoint(endMs)?.atMs ?? 0); // from the latest checkpoint there is
      this.scout = scout;
    }
    const scout = this.scout;
    while (scout.nowMs < endMs && wallClock() - startedWallMs < budgetWallMs) scout.seek(Math.min(endMs, scout.nowMs + SCOUT_STEP_MS));
    if (scout.nowMs < endMs) return true;
    this.scout = null; // done: its checkpoints stay, its simulation need not
    this.scouted = [...this.actions];
    return false;
  }

  get nowMs(): number {
    return this.displayMs;
  }

  /** The simulated times of the checkpoints kept now (for tests and the benchmark). */
  checkpointTimes(): number[] {
    return this.checkpoints.times();
  }

  get actionCount(): number {
    return this.actions.length;
  }

  /** The scenario with every recorded action written into its events (for links and files). */
  recordedScenario(): Scenario {
    return withActions(this.base, this.actions);
  }

  /** Advances the clock by `wallMs` of real time at the current speed. */
  advance(wallMs: number, wallClock: () => number): void {
    if (!this.playing || wallMs <= 0) return;
    if (this.atMark) {
      this.rate.add(wallMs, 0, 0); // waiting at a mark is time the clock did not run: the measured rate says so
      return;
    }
    const startedWallMs = wallClock();
    const fromMs = this.displayMs;
    let hurriedMs = 0;
    let budgetWallMs = Math.min(wallMs, 250); // a tab that slept does not leap ahead
    while (budgetWallMs > 1e-9 && wallClock() - startedWallMs < TICK_BUDGET_WALL_MS) {
      const { busy, nextMs: next } = this.pace();
      const rate = busy || !this.skipQuiet ? this.speed : Math.max(this.speed, QUIET_SPEED);
      const stop = this.stopsAtMs.find((t) => t > this.displayMs + 1e-9);
      const mark = this.marksAtMs.find((t) => t > this.displayMs + 1e-9);
      const target = Math.min(this.displayMs + budgetWallMs * rate, next, stop ?? Number.POSITIVE_INFINITY, mark ?? Number.POSITIVE_INFINITY);
      budgetWallMs -= (target - this.displayMs) / rate;
      if (rate > this.speed) hurriedMs += target - this.displayMs;
      this.moveTo(target);
      if (stop !== undefined && target >= stop) {
        this.playing = false;
        break;
      }
      if (mark !== undefined && target >= mark) {
        this.atMark = true;
        break;
      }
    }
    this.rate.add(wallMs, this.displayMs - fromMs, hurriedMs);
  }

  /**
   * What sets the clock's pace now: `busy` while a message that is not routine traffic is drawn on
   * its way (so each glyph travels at one pace, unhurried), and the next time the pace may change
   * (the next thing due, or such a message's drawn arrival). A clock driving two sessions (A/B) reads both.
   */
  pace(): { busy: boolean; nextMs: number } {
    const watched = this.drawnNow().filter((m) => !ROUTINE_FAMILIES.has(m.look.family));
    let nextMs = this.sim.nextAtMs() ?? Number.POSITIVE_INFINITY;
    for (const m of watched) nextMs = Math.min(nextMs, m.drawnEndAtMs);
    return { busy: watched.length > 0, nextMs };
  }

  /**
   * Runs to the next instant at which a message is sent or arrives, or to the moment a message is
   * drawn half way along its link (its drawn trip, stretched on a short link), whichever comes
   * first: stepping shows every message on its way, not only leaving and arriving.
   */
  step(): void {
    const next = this.sim.nextAtMs();
    let target = next ?? Number.POSITIVE_INFINITY;
    for (const m of this.drawnNow()) {
      const halfway = (m.sentAtMs + m.drawnEndAtMs) / 2;
      if (halfway > this.displayMs + 1e-6 && halfway < target) target = halfway;
    }
    if (target === Number.POSITIVE_INFINITY) return;
    this.moveTo(Math.max(target, this.displayMs));
  }

  /** Seeks to the latest notable event before the shown moment (or to 0). */
  previousEvent(): void {
    const before = this.notableTimes.filter((t) => t < this.displayMs - 1e-6);
    this.seek(before.length > 0 ? before[before.length - 1]! : 0);
  }

  /** Runs on to the next notable event after the shown moment, if one comes within the look-ahead. */
  nextEvent(): void {
    const fromMs = this.displayMs;
    const known = this.notableTimes.find((t) => t > fromMs + 1e-6);
    if (known !== undefined) {
      this.moveTo(known);
      return;
    }
    const seen = this.notableTimes.length;
    for (;;) {
      const next = this.sim.nextAtMs();
      if (next === undefined || next > fromMs + NEXT_EVENT_LOOKAHEAD_MS) return;
      this.moveTo(Math.max(next, this.displayMs));
      const found = this.notableTimes.slice(seen).find((t) => t > fromMs + 1e-6);
      if (found !== undefined) return;
    }
  }

  seek(atMs: number): void {
    const target = Math.max(0, atMs);
    // Forward, run on unless a checkpoint (kept from before an earlier seek back) lies closer to the target.
    const ahead = this.usableCheckpoint(target);
    if (target >= this.sim.nowMs && (ahead === undefined || ahead.atMs <= this.sim.nowMs)) {
      this.moveTo(target);
      return;
    }
    this.rebuild(target);
  }

  /**
   * Back to `atMs`, forgetting the actions recorded after it (and those at it unless `keepAt`):
   * the run from there is the learner's to make again.
   */
  rewind(atMs: number, keepAt: boolean): void {
    const target = Math.max(0, atMs);
    this.actions = this.actions.filter((a) => a.atMs < target || (keepAt && a.atMs === target));
    this.forgetStaleCheckpoints();
    this.rebuild(target);
  }

  /**
   * Performs a user action now and records it. Acting after seeking back forks the run: the
   * actions recorded later than now belonged to the old future and are dropped.
   */
  act(action: UserAction): void {
    const nowMs = this.sim.nowMs;
    if (this.actions.some((a) => a.atMs > nowMs)) {
      this.actions = this.actions.filter((a) => a.atMs <= nowMs);
      this.forgetStaleCheckpoints();
      const shownMs = this.displayMs;
      this.rebuild(nowMs);
      this.displayMs = shownMs;
    }
    // The run forks here: checkpoints later than now belonged to the old future.
    this.checkpoints.forget((c) => c.atMs > nowMs);
    this.actions.push(this.sim.act(action));
  }

  frame(): Frame {
    const sim = this.sim;
    const nodes = sim.nodes();
    const invariants = sim.invariants().map((r) => ({ name: r.name, ok: r.ok, violations: r.violations.length }));
    const frame: Frame = {
      nowMs: this.displayMs,
      playing: this.playing,
      nodes,
      messages: this.drawnNow(),
      faults: withRestGroup(sim.faults(), nodes.map((n) => n.id)),
      log: this.pendingLog,
      logReset: this.logReset,
      invariants,
      finished: sim.nextAtMs() === undefined,
      meters: this.hasDatabase || this.base.topology.servers > 0 ? sim.meters() : null,
      chart: this.history.drain(),
      chartReset: this.chartReset,
      failover: this.failover,
      latest: this.latest,
      rate: this.playing ? this.rate.reading() : null,
      moment: (this.base.steps?.length ?? 0) > 0 ? lessonMoment(sim, { nodes, invariants }) : null,
    };
    this.pendingLog = [];
    this.logReset = false;
    this.chartReset = false;
    return frame;
  }

  /** The messages drawn at the shown moment, at the current speed. */
  private drawnNow(): DrawnMessage[] {
    return this.drawn.at(this.displayMs, this.speed);
  }

  private get hasDatabase(): boolean {
    return this.base.topology.database !== null;
  }

  /**
   * Runs to `displayMs`, stopping at each whole second on the way for the chart's sample, and
   * wherever a checkpoint is due to take one.
   */
  private moveTo(displayMs: number): void {
    this.displayMs = displayMs;
    const targetMs = Math.floor(displayMs);
    for (;;) {
      const sampleAt = this.hasDatabase ? this.history.nextAtMs : Number.POSITIVE_INFINITY;
      const checkpointAt = this.checkpoints.nextDueMs(this.sim.nowMs);
      const stop = Math.min(sampleAt, checkpointAt);
      if (stop > targetMs) break;
      this.sim.runUntil(stop);
      if (stop === sampleAt) this.history.take(this.sim);
      if (stop === checkpointAt) this.checkpoints.add(this.saveCheckpoint());
    }
    this.sim.runUntil(targetMs);
  }

  /** Stands at `atMs` anew: from the latest usable checkpoint at or before it (or from 0), run on to it. */
  private rebuild(atMs: number): void {
    this.pendingLog = [];
    this.logReset = true;
    this.chartReset = true;
    this.rate.reset();
    this.tracing = null;
    const checkpoint = this.usableCheckpoint(atMs);
    const options = { trackMessages: true, keepTrace: false, onMessage: (message: InFlightMessage) => this.drawn.add(message), onTrace: (event: TraceEvent) => this.onTrace(event) };
    const scenario = withActions(this.base, this.actions);
    if (checkpoint) {
      this.resumeFrom(checkpoint);
      this.sim = Simulation.restore(scenario, checkpoint.sim, options);
      for (const action of this.actions.slice(checkpoint.actions.length)) this.sim.schedule(action);
      this.displayMs = checkpoint.atMs;
    } else {
      this.history = new History();
      this.failover = null;
      this.notableTimes = [];
      this.latest = null;
      this.lostTold = 0;
      this.drawn.clear();
      this.recentLog = [];
      this.sim = new Simulation(scenario, options);
      this.displayMs = 0;
    }
    this.tracing = this.sim;
    this.moveTo(atMs);
    if (this.pendingLog.length > LOG_LINES_AFTER_SEEK) this.pendingLog = this.pendingLog.slice(-LOG_LINES_AFTER_SEEK);
  }

  private saveCheckpoint(): SessionCheckpoint {
    return {
      atMs: this.sim.nowMs,
      sim: this.sim.checkpoint(),
      actions: [...this.actions],
      history: this.history.save(),
      notableTimes: [...this.notableTimes],
      latest: this.latest,
      failover: this.failover,
      lostTold: this.lostTold,
      drawn: this.drawn.save(),
      recentLog: [...this.recentLog],
    };
  }

  /** Puts back what the page is shown of the run as it stood at `checkpoint`; its log lines are sent again. */
  private resumeFrom(checkpoint: SessionCheckpoint): void {
    this.history = History.resume(checkpoint.history);
    this.notableTimes = [...checkpoint.notableTimes];
    this.latest = checkpoint.latest;
    this.failover = checkpoint.failover;
    this.lostTold = checkpoint.lostTold;
    this.drawn.resume(checkpoint.drawn);
    this.recentLog = [...checkpoint.recentLog];
    this.pendingLog = [...checkpoint.recentLog];
  }

  /**
   * The latest checkpoint at or before `atMs` that belongs to this run: taken while the recorded
   * actions began as they do now, and before any action recorded since (which is then scheduled
   * into the restored run).
   */
  private usableCheckpoint(atMs: number): SessionCheckpoint | undefined {
    return this.checkpoints.latestAtOrBefore(atMs, (c) => this.belongs(c));
  }

  private belongs(checkpoint: SessionCheckpoint): boolean {
    const { actions } = checkpoint;
    if (actions.length > this.actions.length || actions.some((a, i) => a !== this.actions[i])) return false;
    return this.actions.slice(actions.length).every((a) => a.atMs >= checkpoint.atMs);
  }

  /** Forgets the checkpoints of a future the learner has just undone (actions dropped by a rewind or a fork). */
  private forgetStaleCheckpoints(): void {
    this.checkpoints.forget((c) => !this.belongs(c));
  }

  private onTrace(event: TraceEvent): void {
    this.failover = foldFailover(this.failover, event);
    const { text, notable } = describe(event);
    this.push({ seq: ++this.logSeq, atMs: event.atMs, text, notable, kind: event.type });
    if (this.hasDatabase) this.tellLostWrites(event);
  }

  /**
   * Says in the log when acknowledged writes are lost, with the same count as the Lost writes
   * meter: the database's own words ("rewound 12 writes … they are lost") count every write it
   * drops, acknowledged to a client or not. Notable the first time, and when a promotion leaves
   * writes behind; an old primary acknowledging writes one by one on an abandoned timeline is not.
   */
  private tellLostWrites(event: TraceEvent): void {
    const lost = this.tracing?.meters().writes.lost ?? 0;
    if (lost <= this.lostTold) return;
    const more = lost - this.lostTold;
    const notable = this.lostTold === 0 || event.type === 'promoted';
    this.lostTold = lost;
    const text = `${more} acknowledged write${more === 1 ? '' : 's'} lost${more === lost ? '' : `, ${lost} in all`}: the client was told they succeeded, but the newest timeline does not have them (the Lost writes meter)`;
    this.push({ seq: ++this.logSeq, atMs: event.atMs, text, notable, kind: 'writes-lost' });
  }

  private push(line: LogLine): void {
    this.pendingLog.push(line);
    this.recentLog.push(line);
    if (this.recentLog.length > 2 * LOG_LINES_AFTER_SEEK) this.recentLog = this.recentLog.slice(-LOG_LINES_AFTER_SEEK);
    if (line.notable) {
      if (this.notableTimes[this.notableTimes.length - 1] !== line.atMs) this.notableTimes.push(line.atMs);
      this.latest = line;
    }
    // While the page is not taking frames, keep only the newest lines (bounded memory).
    if (this.pendingLog.length > 2 * LOG_LINES_AFTER_SEEK) this.pendingLog = this.pendingLog.slice(-LOG_LINES_AFTER_SEEK);
  }
}
