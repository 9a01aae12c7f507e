/**
 * A/B side by side: the settings one scenario can be run with twice, once each way, on the same
 * seed. Each knob names a field the scenario format already has (`settings.preVote`, a standby's
 * `replication`, `topology.election`, …) and the values it may take; `abScenario` writes one value
 * into a copy of the scenario. Nothing else changes between the two runs, so whatever differs in
 * their traces is that setting's doing.
 */
import type { Scenario } from '../scenario/types';

export type AbKnobId = 'prevote' | 'checkquorum' | 'replication' | 'fencing' | 'quorum' | 'election' | 'strict';

export interface AbValue {
  /** What the link holds (`on`, `sync`, `raft`). */
  readonly id: string;
  /** What the page shows ("PreVote on"). */
  readonly label: string;
}

export interface AbKnob {
  readonly id: AbKnobId;
  readonly label: string;
  readonly values: readonly [AbValue, AbValue];
  /** Why this scenario cannot be compared on this knob, or null when it can. */
  readonly unusable: (scenario: Scenario) => string | null;
  readonly apply: (scenario: Scenario, value: string) => Scenario;
}

function onOff(name: string): readonly [AbValue, AbValue] {
  return [
    { id: 'off', label: `${name} off` },
    { id: 'on', label: `${name} on` },
  ];
}

const needsRaft = (scenario: Scenario) => (scenario.topology.orchestrators === 0 || scenario.topology.election !== 'raft' ? 'it needs Raft orchestrators' : null);
const needsStandby = (scenario: Scenario) => ((scenario.topology.database?.standbys.length ?? 0) === 0 ? 'it needs a database with a standby' : null);
const needsDatabase = (scenario: Scenario) => (scenario.topology.database === null ? 'it needs a database' : null);

function setting(scenario: Scenario, key: 'preVote' | 'checkQuorum' | 'fencing' | 'quorum' | 'synchronousModeStrict', value: string): Scenario {
  return { ...scenario, settings: { ...scenario.settings, [key]: value === 'on' } };
}

export const AB_KNOBS: readonly AbKnob[] = [
  { id: 'prevote', label: 'PreVote', values: onOff('PreVote'), unusable: needsRaft, apply: (s, v) => setting(s, 'preVote', v) },
  { id: 'checkquorum', label: 'CheckQuorum', values: onOff('CheckQuorum'), unusable: needsRaft, apply: (s, v) => setting(s, 'checkQuorum', v) },
  {
    id: 'replication',
    label: 'Replication',
    values: [{ id: 'sync', label: 'Synchronous' }, { id: 'async', label: 'Asynchronous' }],
    unusable: needsStandby,
    apply: (s, v) => {
      const database = s.topology.database;
      if (!database) return s;
      const replication = v === 'sync' ? 'sync' : 'async';
      return { ...s, topology: { ...s.topology, database: { ...database, standbys: database.standbys.map((standby) => ({ ...standby, replication })) } } };
    },
  },
  { id: 'fencing', label: 'Fencing', values: onOff('Fencing'), unusable: needsDatabase, apply: (s, v) => setting(s, 'fencing', v) },
  { id: 'quorum', label: 'Quorum', values: onOff('Quorum'), unusable: needsDatabase, apply: (s, v) => setting(s, 'quorum', v) },
  { id: 'strict', label: 'Strict synchronous mode', values: onOff('Strict sync'), unusable: needsStandby, apply: (s, v) => setting(s, 'synchronousModeStrict', v) },
  {
    id: 'election',
    label: 'Election',
    values: [{ id: 'raft', label: 'Raft' }, { id: 'bully', label: 'Bully' }],
    unusable: (s) => (s.topology.orchestrators === 0 ? 'it needs orchestrators' : null),
    apply: (s, v) => ({ ...s, topology: { ...s.topology, election: v === 'bully' ? 'bully' : 'raft' } }),
  },
];

/** One side of a comparison: a knob and the value it is set to. */
export interface AbSetup {
  readonly knob: AbKnobId;
  readonly a: string;
  readonly b: string;
  /** The seed both runs use. */
  readonly seed: number;
}

export function abKnob(id: string): AbKnob | undefined {
  return AB_KNOBS.find((knob) => knob.id === id);
}

/** The label of a knob's value ("PreVote on"), or the value itself when the knob does not know it. */
export function abValueLabel(knob: AbKnob, value: string): string {
  return knob.values.find((v) => v.id === value)?.label ?? value;
}

/**
 * The scenario for one side: the knob set to `value` and the seed replaced. Events that `set` the
 * same setting later in the run still do (the comparison is of how the run starts). Throws when
 * the knob or value is unknown; `abProblem` says so in words first.
 */
export function abScenario(scenario: Scenario, knobId: AbKnobId, value: string, seed: number): Scenario {
  const knob = abKnob(knobId);
  if (!knob || !knob.values.some((v) => v.id === value)) throw new Error(`unknown A/B setting ${knobId}=${value}`);
  return { ...knob.apply(scenario, value), seed };
}

export const AB_SEED_MAX = 4_294_967_295;

/** What is wrong with this setup for this scenario, in words, or null when it can be run. */
export function abProblem(scenario: Scenario, setup: AbSetup): string | null {
  const knob = abKnob(setup.knob);
  if (!knob) return `There is no setting “${setup.knob}” to compare; try one of ${AB_KNOBS.map((k) => k.id).join(', ')}.`;
  for (const value of [setup.a, setup.b]) {
    if (!knob.values.some((v) => v.id === value)) return `${knob.label} can be ${knob.values.map((v) => `“${v.id}”`).join(' or ')}, not “${value}”.`;
  }
  if (!Number.isInteger(setup.seed) || setup.seed < 0 || setup.seed > AB_SEED_MAX) return `The seed must be a whole number from 0 to ${AB_SEED_MAX}.`;
  const unusable = knob.unusable(scenario);
  return unusable ? `This scenario cannot compare ${knob.label}: ${unusable}.` : null;
}
