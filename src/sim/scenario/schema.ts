/**
 * The scenario file's shape as a zod schema: types, ranges, unknown keys
 * and defaults. What depends on more than one field (node ids against the topology, an event's
 * time against the duration, time order, region names, `set` values) is checked in parse.ts,
 * which is the only caller that should run this schema on untrusted input.
 *
 * The schema stays free of transforms so that `z.toJSONSchema` can publish it for editors
 * (public/scenario.schema.json, written by src/cli/write-schema.ts).
 */
// zod's tree-shakable build: the worker (and so every embed) downloads only the parts this schema
// uses, a third of the classic build. Its issues are the same; their words are parse.ts's own.
import { z } from 'zod/mini';
import { EDITABLE_PARTS, REPORT_FIGURES } from '../challenge/types';
import { CLAIM_METERS, LIVE_PLACEHOLDERS, NODE_CONDITIONS } from './types';
import {
  DEFAULT_BACKUPS,
  DEFAULT_DATABASE,
  DEFAULT_REGIONS,
  DEFAULT_SCENARIO_FIELDS,
  DEFAULT_SETTINGS,
  DEFAULT_SLOW_LINK_LOSS_RATE,
  DEFAULT_STANDBY,
  DEFAULT_TOPOLOGY,
  DEFAULT_WORKLOAD,
} from './defaults';
import type { DocKey } from './schema-docs';

const DAY_MS = 86_400_000;

/** The bounds of every number and text, for the README and the error messages. */
export const LIMITS = {
  orchestratorsMax: 9,
  serversMax: 24,
  standbysMax: 8,
  durationMsMax: 7 * DAY_MS,
  /** Backup schedules may be longer than a run: a year at most. */
  periodMsMax: 365 * DAY_MS,
  seedMax: 0xffff_ffff,
  titleCharsMax: 200,
  descriptionCharsMax: 5000,
  cmdCharsMax: 200,
  eventsMax: 10_000,
  partitionGroupsMax: 16,
  nodeRefCharsMax: 64,
  regionNameCharsMax: 32,
  healthCheckFailureThresholdMax: 100,
  writesPerSecMax: 1000,
  proposalsPerSecMax: 100,
  /** A workload rate is 0 (none) or at least this: one every 11.6 days, longer than the longest run. Smaller ones cannot be scheduled. */
  ratePerSecMin: 0.000001,
  walKeepBytesMax: 1 << 30,
  raftSnapshotEveryMax: 1_000_000,
  bytesPerSecMax: 1_000_000_000,
  diskFlushMsMax: 10_000,
} as const;

// ---- building blocks ----------------------------------------------------------------------

/** A whole number within bounds. */
const wholeNumber = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
/** A number within bounds. */
const numberWithin = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max));
/** Text of a bounded length. */
const text = (min: number, max: number) => z.string().check(...(min > 0 ? [z.minLength(min)] : []), z.maxLength(max));
/**
 * Schemas that editors see described, each a copy (a shared building block stays bare) with the
 * key of its words in schema-docs.ts. The words stay out of this module: the worker validates
 * every scenario but never publishes the schema, so it need not download them (json-schema.ts does).
 */
export const DESCRIBED: Array<readonly [z.ZodMiniType, DocKey]> = [];

/** The same schema with a description for editors, looked up by `doc` when the JSON Schema is written. */
function described<T extends z.ZodMiniType>(schema: T, doc: DocKey): T {
  const copy = schema.check() as T;
  DESCRIBED.push([copy, doc]);
  return copy;
}

/** A duration of at least 1 ms: the kernel never schedules anything zero time ahead. */
const positiveMs = wholeNumber(1, LIMITS.durationMsMax);
const periodMs = wholeNumber(1, LIMITS.periodMsMax);
const probability = numberWithin(0, 1);

/** `[min, max]` in milliseconds, 1 ≤ min ≤ max. */
const msRange = z.tuple([positiveMs, positiveMs]).check(
  z.refine(([min, max]) => min <= max, {
    error: (issue) => `${JSON.stringify(issue.input).replaceAll(',', ', ')} has min above max; expected [min, max] with 1 ≤ min ≤ max`,
  }),
);

const nodeRef = text(1, LIMITS.nodeRefCharsMax);
const regionRole = z.enum(['primary', 'dr']);
const regionName = z.string().check(
  z.maxLength(LIMITS.regionNameCharsMax),
  z.regex(/^[a-z][a-z0-9-]*$/, {
    error: (issue) =>
      `expected a short lowercase name (letters, digits and hyphens, starting with a letter; it becomes part of node ids like backup-mumbai), got ${JSON.stringify(issue.input)}`,
  }),
);

// ---- settings ------------------------------------------------------------------------------

/**
 * Each setting a `set` event may change, by its path. The settings object below is built from
 * the same schemas, so the two cannot drift apart.
 */
const settingLeaf = {
  fencing: z.boolean(),
  quorum: z.boolean(),
  heartbeatMs: positiveMs,
  appendResetsHeartbeat: z.boolean(),
  electionTimeoutMs: msRange,
  'healthCheck.intervalMs': positiveMs,
  'healthCheck.timeoutMs': positiveMs,
  'healthCheck.failureThreshold': wholeNumber(1, LIMITS.healthCheckFailureThresholdMax),
  'latencyMs.local': msRange,
  'latencyMs.crossRegion': msRange,
  preVote: z.boolean(),
  checkQuorum: z.boolean(),
  raftSnapshotEvery: wholeNumber(1, LIMITS.raftSnapshotEveryMax),
  lossRate: probability,
  walKeepBytes: wholeNumber(0, LIMITS.walKeepBytesMax),
  leaseMs: positiveMs,
  baseBackupBytesPerSec: wholeNumber(1, LIMITS.bytesPerSecMax),
  diskFlushMs: wholeNumber(0, LIMITS.diskFlushMsMax),
  synchronousModeStrict: z.boolean(),
  serviceMs: positiveMs,
  requestTimeoutMs: positiveMs,
  provisionMs: positiveMs,
  replaceDatabaseAfterMs: positiveMs,
} as const;

export const SETTING_SCHEMAS: Readonly<Record<string, z.ZodMiniType>> = Object.fromEntries(
  Object.entries(settingLeaf).map(([key, schema]) => [`settings.${key}`, schema]),
);
export const SETTING_PATHS = Object.keys(SETTING_SCHEMAS) as [string, ...string[]];

/** A setting with its default, and its description for editors when it has one. */
function setting<K extends keyof typeof settingLeaf>(key: K, value: z.output<(typeof settingLeaf)[K]>, doc?: DocKey & `settings.${K}`) {
  const withDefault = z._default(settingLeaf[key], value as never);
  return doc === undefined ? withDefault : described(withDefault, doc);
}

const d = DEFAULT_SETTINGS;
export const SettingsSchema = z.strictObject({
  fencing: setting('fencing', d.fencing, 'settings.fencing'),
  quorum: setting('quorum', d.quorum, 'settings.quorum'),
  heartbeatMs: setting('heartbeatMs', d.heartbeatMs),
  appendResetsHeartbeat: setting('appendResetsHeartbeat', d.appendResetsHeartbeat, 'settings.appendResetsHeartbeat'),
  electionTimeoutMs: setting('electionTimeoutMs', [...d.electionTimeoutMs]),
  healthCheck: z.prefault(
    z.strictObject({
      intervalMs: setting('healthCheck.intervalMs', d.healthCheck.intervalMs),
      timeoutMs: setting('healthCheck.timeoutMs', d.healthCheck.timeoutMs),
      failureThreshold: setting('healthCheck.failureThreshold', d.healthCheck.failureThreshold),
    }),
    {},
  ),
  latencyMs: z.prefault(
    z.strictObject({
      local: setting('latencyMs.local', [...d.latencyMs.local]),
      crossRegion: setting('latencyMs.crossRegion', [...d.latencyMs.crossRegion]),
    }),
    {},
  ),
  preVote: setting('preVote', d.preVote, 'settings.preVote'),
  checkQuorum: setting('checkQuorum', d.checkQuorum, 'settings.checkQuorum'),
  raftSnapshotEvery: setting(
    'raftSnapshotEvery',
    d.raftSnapshotEvery,
    'settings.raftSnapshotEvery',
  ),
  lossRate: setting('lossRate', d.lossRate, 'settings.lossRate'),
  walKeepBytes: setting('walKeepBytes', d.walKeepBytes, 'settings.walKeepBytes'),
  leaseMs: setting('leaseMs', d.leaseMs, 'settings.leaseMs'),
  baseBackupBytesPerSec: setting('baseBackupBytesPerSec', d.baseBackupBytesPerSec, 'settings.baseBackupBytesPerSec'),
  diskFlushMs: setting('diskFlushMs', d.diskFlushMs, 'settings.diskFlushMs'),
  synchronousModeStrict: setting(
    'synchronousModeStrict',
    d.synchronousModeStrict,
    'settings.synchronousModeStrict',
  ),
  serviceMs: setting('serviceMs', d.serviceMs, 'settings.serviceMs'),
  requestTimeoutMs: setting('requestTimeoutMs', d.requestTimeoutMs, 'settings.requestTimeoutMs'),
  provisionMs: setting('provisionMs', d.provisionMs, 'settings.provisionMs'),
  replaceDatabaseAfterMs: setting(
    'replaceDatabaseAfterMs',
    d.replaceDatabaseAfterMs,
    'settings.replaceDatabaseAfterMs',
  ),
});

// ---- topology ------------------------------------------------------------------------------

const StandbySchema = z.strictObject({
  replication: z._default(z.enum(['sync', 'async']), DEFAULT_STANDBY.replication),
  region: z._default(regionRole, DEFAULT_STANDBY.region),
});

const DatabaseSchema = z.strictObject({
  standbys: described(z._default(z.array(StandbySchema).check(z.maxLength(LIMITS.standbysMax)), [...DEFAULT_DATABASE.standbys]), 'database.standbys'),
  witness: z._default(z.boolean(), DEFAULT_DATABASE.witness),
});

const BackupsSchema = z.strictObject({
  incrementalEveryMs: z._default(periodMs, DEFAULT_BACKUPS.incrementalEveryMs),
  fullEveryMs: z._default(periodMs, DEFAULT_BACKUPS.fullEveryMs),
  offsite: described(z._default(z.boolean(), DEFAULT_BACKUPS.offsite), 'backups.offsite'),
});

const RegionsSchema = z
  .strictObject({
    primary: z._default(regionName, DEFAULT_REGIONS.primary),
    dr: z._default(regionName, DEFAULT_REGIONS.dr),
  })
  .check(z.refine((regions) => regions.primary !== regions.dr, { error: 'the two regions need different names' }));

const t = DEFAULT_TOPOLOGY;
export const TopologySchema = z.strictObject({
  orchestrators: z._default(wholeNumber(0, LIMITS.orchestratorsMax), t.orchestrators),
  election: z._default(z.enum(['raft', 'bully']), t.election),
  servers: z._default(wholeNumber(0, LIMITS.serversMax), t.servers),
  // null, as in DEFAULT_TOPOLOGY (a test holds the two together).
  database: described(z._default(z.nullable(DatabaseSchema), null), 'topology.database'),
  backups: described(z._default(z.nullable(BackupsSchema), null), 'topology.backups'),
  regions: described(z.prefault(RegionsSchema, {}), 'topology.regions'),
});

/** So many a second, or 0 for none; a rate between the two is too small to schedule. */
const ratePerSec = (max: number) =>
  numberWithin(0, max).check(
    z.refine((rate) => rate <= 0 || rate >= LIMITS.ratePerSecMin, {
      message: `must be 0 (none) or at least ${LIMITS.ratePerSecMin.toFixed(6)} a second; a smaller rate is too small to schedule`,
    }),
  );

const WorkloadSchema = z.strictObject({
  writesPerSec: z._default(ratePerSec(LIMITS.writesPerSecMax), DEFAULT_WORKLOAD.writesPerSec),
  proposalsPerSec: z._default(ratePerSec(LIMITS.proposalsPerSecMax), DEFAULT_WORKLOAD.proposalsPerSec),
  requestsPerSec: described(
    z._default(ratePerSec(LIMITS.writesPerSecMax), DEFAULT_WORKLOAD.requestsPerSec),
    'workload.requestsPerSec',
  ),
});

// ---- events --------------------------------------------------------------------------------

const atMs = wholeNumber(0, LIMITS.durationMsMax);
const nodePair = z.tuple([nodeRef, nodeRef]);

function eventOf<Kind extends string, Shape extends z.core.$ZodLooseShape>(kind: Kind, shape: Shape) {
  return z.strictObject({ atMs, do: z.literal(kind), ...shape });
}

const regionRef = () => described(z.string(), 'event.region');

/** Every event kind, in the order the README lists them. */
export const EVENT_SCHEMAS = {
  crash: eventOf('crash', { node: nodeRef }),
  restart: eventOf('restart', { node: nodeRef }),
  'wipe-disk': eventOf('wipe-disk', { node: nodeRef }),
  partition: eventOf('partition', {
    groups: z.array(z.array(nodeRef).check(z.minLength(1))).check(z.minLength(2), z.maxLength(LIMITS.partitionGroupsMax)),
  }),
  cut: eventOf('cut', { between: nodePair }),
  'heal-link': eventOf('heal-link', { between: nodePair }),
  heal: eventOf('heal', {}),
  'slow-link': eventOf('slow-link', {
    between: nodePair,
    latencyMs: described(z.union([positiveMs, msRange]), 'event.slow-link.latencyMs'),
    lossRate: z._default(probability, DEFAULT_SLOW_LINK_LOSS_RATE),
  }),
  'region-down': eventOf('region-down', { region: regionRef() }),
  'region-up': eventOf('region-up', { region: regionRef() }),
  promote: eventOf('promote', { node: nodeRef }),
  switchover: eventOf('switchover', {
    node: described(nodeRef, 'event.switchover.node'),
  }),
  'restore-backup': eventOf('restore-backup', { node: nodeRef, from: described(nodeRef, 'event.restore-backup.from') }),
  set: eventOf('set', { path: z.enum(SETTING_PATHS), value: z.unknown() }),
  propose: eventOf('propose', { cmd: text(1, LIMITS.cmdCharsMax) }),
} as const;

export type EventKindName = keyof typeof EVENT_SCHEMAS;
export const EVENT_KINDS = Object.keys(EVENT_SCHEMAS) as EventKindName[];

const eventSchemaList = Object.values(EVENT_SCHEMAS) as [
  (typeof EVENT_SCHEMAS)[EventKindName],
  ...(typeof EVENT_SCHEMAS)[EventKindName][],
];
export const EventSchema = z.discriminatedUnion('do', eventSchemaList);
export type RawEvent = z.output<typeof EventSchema>;

// ---- challenges ----------------------------------------------------------------------------

const bound = numberWithin(-1e12, 1e12);
const FigureCheckSchema = z
  .strictObject({
    figure: described(z.enum(REPORT_FIGURES), 'figureCheck.figure'),
    atMost: z.optional(bound),
    atLeast: z.optional(bound),
    equals: z.optional(bound),
  })
  .check(
    z.refine((check) => check.atMost !== undefined || check.atLeast !== undefined || check.equals !== undefined, {
      error: 'a figure check needs atMost, atLeast or equals',
    }),
  );
const InvariantCheckSchema = z.strictObject({
  invariant: described(text(1, LIMITS.nodeRefCharsMax), 'invariantCheck.invariant'),
  ok: z.boolean(),
});
const ChallengeSchema = z.strictObject({
  goal: described(text(1, 500), 'challenge.goal'),
  checks: z.array(z.union([FigureCheckSchema, InvariantCheckSchema])).check(z.minLength(1), z.maxLength(20)),
  editable: described(
    z._default(z.array(z.enum(EDITABLE_PARTS)).check(z.maxLength(EDITABLE_PARTS.length)), ['settings']),
    'challenge.editable',
  ),
});

// ---- lesson steps --------------------------------------------------------------------------

/** `{name}` in a lesson's text: a live value; braces around anything else (`{ a, b }`) are plain text. */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholders of `source` that name no live value. */
export function unknownPlaceholders(source: string): string[] {
  const known: readonly string[] = LIVE_PLACEHOLDERS;
  return [...source.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.includes(name));
}

/** Lesson text: bounded markdown whose `{placeholders}` all name live values. */
const lessonText = (min: number, max: number) =>
  text(min, max).check(
    z.refine((source) => unknownPlaceholders(source).length === 0, {
      error: (issue) =>
        `names an unknown live value {${unknownPlaceholders(String(issue.input))[0]}}; known: ${LIVE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
    }),
  );

const claimAfter = { after: described(z.optional(wholeNumber(0, LIMITS.durationMsMax)), 'claim.after') };
const anyOrNode = described(nodeRef, 'claim.node');
const meterBound = numberWithin(-1e12, 1e12);

const ClaimSchema = z.union([
  z.strictObject({ leader: anyOrNode, ...claimAfter }),
  z.strictObject({ noLeader: z.literal(true), ...claimAfter }),
  z.strictObject({ primary: anyOrNode, ...claimAfter }),
  z.strictObject({ primaries: wholeNumber(0, LIMITS.standbysMax + 1), ...claimAfter }),
  z.strictObject({ writesRejected: z.boolean(), ...claimAfter }),
  z
    .strictObject({ meter: z.enum(CLAIM_METERS), above: z.optional(meterBound), below: z.optional(meterBound), equals: z.optional(meterBound), ...claimAfter })
    .check(
      z.refine((claim) => claim.above !== undefined || claim.below !== undefined || claim.equals !== undefined, {
        error: 'a meter claim needs above, below or equals',
      }),
    ),
  z.strictObject({ invariant: described(text(1, LIMITS.nodeRefCharsMax), 'claim.invariant'), holds: z.boolean(), ...claimAfter }),
  z.strictObject({ node: nodeRef, is: z.enum(NODE_CONDITIONS), ...claimAfter }),
]);
const claimList = z.array(ClaimSchema).check(z.maxLength(12));

const ChoiceSchema = z.strictObject({
  label: described(lessonText(1, 200), 'choice.label'),
  claims: described(z.optional(claimList), 'choice.claims'),
  why: described(z.optional(lessonText(1, 1000)), 'choice.why'),
});

const QuestionSchema = z.strictObject({
  prompt: described(lessonText(1, 500), 'question.prompt'),
  choices: z.array(ChoiceSchema).check(z.minLength(2), z.maxLength(6)),
  revealAfterMs: described(
    z.optional(wholeNumber(1, LIMITS.durationMsMax)),
    'question.revealAfterMs',
  ),
});

const LessonStepSchema = z.strictObject({
  text: described(lessonText(1, 1000), 'lessonStep.text'),
  node: described(z.optional(nodeRef), 'lessonStep.node'),
  action: described(
    z.optional(z.enum(['crash', 'restart', 'wipe-disk', 'promote', 'switchover', 'partition', 'cut', 'heal-link', 'heal', 'region-down', 'region-up', 'restore-backup', 'propose'])),
    'lessonStep.action',
  ),
  atMs: described(z.optional(wholeNumber(0, LIMITS.durationMsMax)), 'lessonStep.atMs'),
  claims: described(z.optional(claimList), 'lessonStep.claims'),
  question: described(z.optional(QuestionSchema), 'lessonStep.question'),
});

// ---- the scenario --------------------------------------------------------------------------

const top = DEFAULT_SCENARIO_FIELDS;
export const ScenarioSchema = z.strictObject({
  $schema: described(z.optional(z.string()), 'scenario.$schema'),
  version: z.literal(1),
  title: described(z._default(text(0, LIMITS.titleCharsMax), top.title), 'scenario.title'),
  description: described(z._default(text(0, LIMITS.descriptionCharsMax), top.description), 'scenario.description'),
  seed: described(z._default(wholeNumber(0, LIMITS.seedMax), top.seed), 'scenario.seed'),
  durationMs: described(z._default(positiveMs, top.durationMs), 'scenario.durationMs'),
  topology: z.prefault(TopologySchema, {}),
  settings: z.prefault(SettingsSchema, {}),
  workload: z.prefault(WorkloadSchema, {}),
  events: described(z._default(z.array(EventSchema).check(z.maxLength(LIMITS.eventsMax)), []), 'scenario.events'),
  steps: described(z.optional(z.array(LessonStepSchema).check(z.maxLength(30))), 'scenario.steps'),
  challenge: described(z.optional(ChallengeSchema), 'scenario.challenge'),
  lessonSummary: described(z.optional(lessonText(1, 2000)), 'scenario.lessonSummary'),
});
export type RawScenario = z.output<typeof ScenarioSchema>;

/** The fields each object of the format accepts, by path pattern (`[]` stands for any index). */
export const FIELDS_AT: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(ScenarioSchema.shape),
  topology: Object.keys(TopologySchema.shape),
  'topology.database': Object.keys(DatabaseSchema.shape),
  'topology.database.standbys.[]': Object.keys(StandbySchema.shape),
  'topology.backups': Object.keys(BackupsSchema.shape),
  'topology.regions': Object.keys(RegionsSchema.shape),
  settings: Object.keys(SettingsSchema.shape),
  'settings.healthCheck': Object.keys(settingsObjectShape('healthCheck')),
  'settings.latencyMs': Object.keys(settingsObjectShape('latencyMs')),
  workload: Object.keys(WorkloadSchema.shape),
};

function settingsObjectShape(key: 'healthCheck' | 'latencyMs'): z.core.$ZodLooseShape {
  return SettingsSchema.shape[key]._zod.def.innerType.shape;
}

export function eventFields(kind: EventKindName): readonly string[] {
  return Object.keys(EVENT_SCHEMAS[kind].shape);
}
