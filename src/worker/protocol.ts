/**
 * The messages between the page and the simulation worker. The page imports only these types:
 * the worker owns the Simulation, and the page draws the frames it streams.
 */
import type {
  ChallengeResult,
  Comparison,
  DisasterId,
  LessonMoment,
  NodeState,
  Scenario,
  Simulation,
  StatechartOutline,
  SweepRun,
  UserAction,
} from '../sim';
import type { ChartSample } from './history';
import type { FailoverProgress } from './failover-progress';
import type { RateReading } from './clock-rate';
import type { DrawnMessage } from './drawn-messages';

export type { ChartSample } from './history';
export type { FailoverProgress, StepReached } from './failover-progress';
export type { RateReading } from './clock-rate';
export type { DrawnMessage } from './drawn-messages';
export type { LiveStatechart, StatechartMove, StatechartOutline, StatechartState, StatechartTransition } from '../sim';

/** Where a scenario comes from: a link's hash (`#s=…`, `#preset=…`, with `&t=`), or a JSON value. */
export type ScenarioSource =
  | { readonly kind: 'encoded'; readonly encoded: string }
  | { readonly kind: 'json'; readonly value: unknown; readonly origin: string };

export type ToWorker =
  /**
   * Replaces the run. `atMs` positions it (paused) at that time; `play` starts it playing, unless
   * `lessonOpensPaused` and the scenario has lesson steps (a link or preset: the learner reads step
   * 1 and presses Play). The worker decides that, since only it reads a `#s=` link's scenario.
   */
  | { readonly type: 'load'; readonly source: ScenarioSource; readonly atMs: number; readonly play: boolean; readonly lessonOpensPaused?: boolean }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  /** Runs to the next message sent, arriving or half way along its link, then pauses. */
  | { readonly type: 'step' }
  /** Seeks, paused, to the notable event before (`-1`) or after (`1`) the shown moment. */
  | { readonly type: 'jumpEvent'; readonly direction: -1 | 1 }
  /** Simulated ms per wall ms while messages are on the wire. */
  | { readonly type: 'setSpeed'; readonly speed: number }
  /** When on, stretches of simulated time with nothing on the wire run at least at 1×. */
  | { readonly type: 'setSkipQuiet'; readonly on: boolean }
  | { readonly type: 'seek'; readonly atMs: number }
  /** Times at which playing stops by itself (a lesson's questions not yet answered), sorted. */
  | { readonly type: 'setStops'; readonly atMs: readonly number[] }
  /**
   * Times a playing clock never passes without a frame at them (a lesson's timed steps): it waits
   * there, still playing, until the frame showing that moment is sent (the page draws every frame
   * it is sent), so no step's card is skipped however fast the run plays or slowly the page draws.
   */
  | { readonly type: 'setMarks'; readonly atMs: readonly number[] }
  | { readonly type: 'act'; readonly action: UserAction }
  /**
   * Back to `atMs`, paused, forgetting the actions recorded after it (a lesson's "Rewind to where
   * this step began"); `keepAt` false forgets those recorded at `atMs` too (the step began with a
   * learner's action on another node than asked: back to just before it).
   */
  | { readonly type: 'rewind'; readonly atMs: number; readonly keepAt: boolean }
  /** Asks for the recorded scenario as a `#s=` hash (answered with `link`). */
  | { readonly type: 'makeLink' }
  /** Asks for the report of the recorded scenario run to its end, as `npm run sim --json` prints it (answered with `report`). */
  | { readonly type: 'makeReport' }
  /** Asks for the recorded run's challenge judged on its report, run to its end (answered with `judged`). */
  | { readonly type: 'judge' }
  /** Asks for the trace of the same run as NDJSON, as `npm run sim --trace` writes it (answered with `report`). */
  | { readonly type: 'makeTrace' }
  /** The page has taken the last frame; the worker sends the next one only after this. */
  | { readonly type: 'frameTaken' }
  /**
   * Runs the strategy comparison for one disaster, one run per task so the worker stays
   * responsive (answered with `compare-progress` before each run, then `compared`). A new
   * request replaces one still running. It leaves the playground's run alone.
   */
  | { readonly type: 'compare'; readonly disaster: DisasterId }
  /**
   * One run of a sweep ("Run many seeds"): `scenario` at `seed`, run to its end and answered with
   * `swept` (its figures) or `sweep-error`. The page's pool sends each worker the next seed when it
   * answers. It leaves the playground's run alone.
   */
  | { readonly type: 'sweep'; readonly scenario: Scenario; readonly seed: number };

/** One line of the event log, already in words. */
export interface LogLine {
  readonly seq: number;
  readonly atMs: number;
  readonly text: string;
  readonly notable: boolean;
  /** The trace event's type (`leader`, `failover`, `fault`, …): what an embedding page filters on. */
  readonly kind: string;
}

export interface InvariantSummary {
  readonly name: string;
  readonly ok: boolean;
  readonly violations: number;
}

export interface Faults {
  readonly partition: readonly (readonly string[])[] | null;
  readonly cut: readonly (readonly [string, string])[];
  readonly slow: readonly (readonly [string, string])[];
  readonly darkRegions: readonly string[];
}

/** The database's live figures (`Simulation.meters()`): writes, data lost, time without a primary. */
export type Meters = ReturnType<Simulation['meters']>;

export interface Frame {
  /** Simulated time being shown; fractional so that messages glide between milliseconds. */
  readonly nowMs: number;
  readonly playing: boolean;
  readonly nodes: readonly NodeState[];
  /** The messages drawn at `nowMs`: those on the wire, and those whose drawn trip (stretched on a short link) is not over. */
  readonly messages: readonly DrawnMessage[];
  readonly faults: Faults;
  /** Log lines since the previous frame; after a seek or load, `logReset` says start over. */
  readonly log: readonly LogLine[];
  readonly logReset: boolean;
  readonly invariants: readonly InvariantSummary[];
  /** Nothing is left to happen (the run is quiet for good). */
  readonly finished: boolean;
  /** The database and request meters, or null when the scenario has neither a database nor API servers. */
  readonly meters: Meters | null;
  /** Chart samples (one per simulated second) since the previous frame; after a seek or load, `chartReset` says start over. */
  readonly chart: readonly ChartSample[];
  readonly chartReset: boolean;
  /** The latest automatic failover so far, or null. */
  readonly failover: FailoverProgress | null;
  /** The latest notable event at or before `nowMs` (after a seek too), or null. */
  readonly latest: LogLine | null;
  /** The clock's measured rate while playing; null while paused or before it was measured. */
  readonly rate: RateReading | null;
  /** What a lesson's claims and live values are judged on, when the scenario has steps; else null. */
  readonly moment: LessonMoment | null;
}

export interface LoadedInfo {
  readonly title: string;
  readonly description: string;
  readonly durationMs: number;
  readonly seed: number;
  readonly election: string;
  readonly regions: Scenario['topology']['regions'];
  readonly hasDatabase: boolean;
  /** The scenario has a load balancer and API servers (request meters). */
  readonly hasServers: boolean;
  /** Raft orchestrators run failover agents beside the database: they carry out a switchover. */
  readonly agentsDecide?: boolean;
  /** Each machine's statechart outline, keyed by machine id; a node's `statecharts` name them. */
  readonly statecharts?: Readonly<Record<string, StatechartOutline>>;
}

export type FromWorker =
  | { readonly type: 'loaded'; readonly info: LoadedInfo }
  | { readonly type: 'frame'; readonly frame: Frame }
  /** The recorded scenario (base events plus the user's actions), after a load and after each action. */
  | { readonly type: 'recorded'; readonly scenario: Scenario; readonly actions: number }
  /** The input could not be opened; `message` names the field and what was expected. */
  | { readonly type: 'load-error'; readonly message: string }
  | { readonly type: 'link'; readonly hash: string }
  | { readonly type: 'report'; readonly text: string; readonly fileName: string }
  /** The challenge's verdict on the recorded run (null when the scenario has no challenge). */
  | { readonly type: 'judged'; readonly result: ChallengeResult | null }
  /** The worker itself failed; the page offers to restart from the recorded scenario. */
  | { readonly type: 'crashed'; readonly message: string }
  /** The comparison is about to run strategy `done + 1` of `total`, named `running`. */
  | { readonly type: 'compare-progress'; readonly disaster: DisasterId; readonly done: number; readonly total: number; readonly running: string }
  /** The finished comparison, and for each row the `#s=` hash that opens its run in the playground. */
  | { readonly type: 'compared'; readonly comparison: Comparison; readonly links: readonly string[] }
  /** The comparison could not be run; `message` says why. */
  | { readonly type: 'compare-error'; readonly disaster: DisasterId; readonly message: string }
  /** One sweep run's figures. */
  | { readonly type: 'swept'; readonly run: SweepRun }
  /** A sweep run could not be made; `message` says why. */
  | { readonly type: 'sweep-error'; readonly seed: number; readonly message: string };
