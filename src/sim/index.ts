/**
 * The door into the simulation core: everything the page (src/app), the worker (src/worker), the
 * command line (src/cli) and the benchmarks (src/bench) may use. Anything not exported here is the
 * core's own business and may change without them noticing; the lint refuses an import that
 * reaches past this file from outside src/sim (tests may still reach in).
 *
 * Grouped by what a caller does with it: read a scenario, run it, watch it, judge it, compare.
 */

// Scenario files and links: the format, its defaults, reading and writing it.
export type {
  ClaimMeter,
  LessonChoice,
  LessonClaim,
  LessonQuestion,
  LessonStep,
  LivePlaceholder,
  NodeCondition,
  RegionRole,
  Scenario,
  ScenarioEvent,
  Settings,
  Topology,
  UserAction,
  Workload,
} from './scenario/types';
export * from './scenario/defaults'; // every DEFAULT_… of the format
export { ANY_NODE, CLAIM_METERS, LIVE_PLACEHOLDERS, NODE_CONDITIONS } from './scenario/types';
export {
  formatErrors,
  formatPath,
  MAX_SCENARIO_TEXT_CHARS,
  parseScenario,
  parseScenarioText,
  scenarioTooLong,
  type ParseResult,
  type ScenarioError,
} from './scenario/parse';
export { scenarioJsonSchema } from './scenario/json-schema';
export { decodeScenarioParam, encodeScenarioHash, parseLocationHash, type LocationHash } from './scenario/url';
/** The link encoder alone, for a worker that should download it only when a link is asked for. */
export const loadLinkEncoding = () => import('./scenario/url-encode');
/** The link decoder, for a worker that should download it only when a link is opened (an embedded preset never is). */
export const loadLinkDecoding = () => import('./scenario/url');

// Running a scenario: step by step (the worker) or start to end (the command line, the benchmarks).
export { Simulation, SimulationError, type Checkpoint, type SimulationOptions } from './world/simulation';
export { CHECKPOINT_EVERY_MS, CheckpointStore, MAX_CHECKPOINTS } from './checkpoint/store';
export { reportText, runScenario, type RunResult } from './run';

// What a running world shows: nodes, messages on the wire, what the failover agents watch.
export type { InFlightMessage, NodeState } from './world/node-state';
export type { AgentWatch, WatchedNode } from './world/agent-watch';
export type { Backend, NodeFacts, NodeKind } from './machines/program';
export {
  statechartsFor,
  type LiveStatechart,
  type StatechartMove,
  type StatechartOutline,
  type StatechartState,
  type StatechartTransition,
} from './machines/statechart';
export type { FailoverStep, NodeId, ReplicationRow } from './machines/protocol';
export type { PlanStep } from './machines/orchestrator/types';
export { formatLsn } from './machines/database/wal';
export { agentsDecide } from './machines/database/logic';
// The worker waits for the programs a scenario runs before building it (a no-op outside the browser).
export { preloadPrograms } from './machines/registry';

// The trace and the report, and the words for them.
export type { TraceEvent } from './trace/trace';
export { describe, formatMs } from './trace/describe';
export type { Recovery, Report } from './report/types';

// Lessons: a step's claims judged on the moment, its live values, a lesson followed as written.
export { lessonMoment, type LessonMoment, type MomentNode } from './lesson/moment';
export { firstFailure, judgeClaims, resolveRef, type ClaimResult, type ClaimStatus } from './lesson/claims';
export { fillLive, fillValues, liveValues } from './lesson/live';
export { actionFor, claimsDueMs, playLesson, type ChoiceVerdict, type ClaimVerdict, type LessonVerdict, type StepVerdict } from './lesson/play';

// Challenges: a run judged against a goal.
export type { ChallengeResult } from './challenge/types';
export { outOfBounds } from './challenge/grade';

// Comparing protection strategies. The disasters are listed here; the runs themselves load on
// demand (`loadComparison`), so a page that never compares never downloads them.
export {
  comparisonScenario,
  DISASTER_IDS,
  DISASTERS,
  isDisasterId,
  STRATEGY_IDS,
  strategyOf,
  type Disaster,
  type DisasterId,
  type StrategyId,
} from './compare/scenarios';
export type { Comparison, ComparisonRow, TimeScale } from './compare/compare';
export const loadComparison = () => import('./compare/compare');

// Sweeps: one scenario over many seeds, summed up as distributions that merge exactly.
export { brokenUnderSafeSettings, mergeSummaries, summarizeScenario, SWEEP_FIGURE_WORDS, SWEEP_FIGURES, SweepError } from './sweep/summary';
export type { FigureStats, SweepFigure, SweepRun, SweepSummary } from './sweep/summary';
// Loaded only when a sweep runs (the page's Web Workers, the command line's pool), so the page's first load does not carry it.
export const loadSweep = () => import('./sweep/run-seed');

// A/B side by side: one scenario run twice, one setting changed, and where their traces first part.
export { AB_KNOBS, AB_SEED_MAX, abKnob, abProblem, abScenario, abValueLabel, type AbKnob, type AbKnobId, type AbSetup, type AbValue } from './ab/variants';
export { DifferenceSearch, firstDifference, searchFirstDifference, type FirstDifference, type TracedLine } from './ab/first-difference';
