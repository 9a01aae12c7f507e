// Proves the failover agent's statechart and its plan's step never disagree: after every event any agent takes, in every bundled scenario with orchestrators and a database and in random fault schedules (quorum and fencing on and off, operators' promotions and switchovers), the machine's state is where the plan stands (`watching` without a plan, `following` while another agent leads one the log holds). A move raised where no state takes it would throw, and a state the rules did not reach would show here; the runs must also pass through every state, so the check cannot hold vacuously.
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/sim/kernel/node-host';
import { runScenario } from '../../../src/sim/run';
import { parseScenarioText } from '../../../src/sim/scenario/parse';
import type { AgentContext } from '../../../src/sim/machines/orchestrator/types';
import type { NodeEvent } from '../../../src/sim/machines/protocol';
import { generated, propertyOptions } from '../../support/property';

/** Where the plan stands, from the context alone: what the agent's state must be. */
function stepOf(ctx: AgentContext): string {
  if (ctx.plan === null) return 'watching';
  if (ctx.plan.step !== 'done' && ctx.settings.quorum && !ctx.leading) return 'following';
  return ctx.plan.step;
}

const seen = new Set<string>();
const disagreements: string[] = [];
let checked = 0;

function check(host: NodeHost, after: string): void {
  const agent = host.facts().agent as AgentContext | undefined;
  const chart = host.runner.statecharts()?.find((c) => c.chart === 'orchestrator-agent');
  if (agent === undefined || chart === undefined) return;
  checked++;
  const state = chart.active.join();
  seen.add(state);
  if (state !== stepOf(agent) && disagreements.length < 5) disagreements.push(`${agent.id} after ${after}: state ${state}, plan ${JSON.stringify(agent.plan)}`);
}

const deliver = NodeHost.prototype.deliver;
const start = NodeHost.prototype.start;
beforeAll(() => {
  NodeHost.prototype.deliver = function (this: NodeHost, event: NodeEvent, atMs: number) {
    const effects = deliver.call(this, event, atMs);
    check(this, `${event.type} at ${atMs} ms`);
    return effects;
  };
  NodeHost.prototype.start = function (this: NodeHost, ...args: Parameters<NodeHost['start']>) {
    const effects = start.apply(this, args);
    check(this, 'start');
    return effects;
  };
});
afterAll(() => {
  NodeHost.prototype.deliver = deliver;
  NodeHost.prototype.start = start;
});

const BUNDLED = readdirSync(new URL('../../../public/scenarios/', import.meta.url))
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => parseScenarioText(readFileSync(new URL(`../../../public/scenarios/${f}`, import.meta.url), 'utf8')))
  .flatMap((parsed) => (parsed.ok && parsed.scenario.topology.orchestrators > 0 && parsed.scenario.topology.database ? [parsed.scenario] : []));

const NODES = ['orch-1', 'orch-2', 'orch-3', 'db-1', 'db-2', 'db-3'];
const at = fc.integer({ min: 0, max: 30_000 });
const faultArb = fc.oneof(
  fc.record({ atMs: at, do: fc.constantFrom('crash', 'restart'), node: fc.constantFrom(...NODES) }),
  fc.record({ atMs: at, do: fc.constant('crash'), node: fc.constantFrom('@leader', '@primary') }),
  fc.record({ atMs: at, do: fc.constant('restart'), node: fc.constant('@last-crashed') }),
  fc.record({ atMs: at, do: fc.constant('partition'), groups: fc.constant([['@primary'], ['*']]) }),
  fc.record({ atMs: at, do: fc.constantFrom('promote', 'switchover'), node: fc.constantFrom('db-2', 'db-3') }),
  fc.record({ atMs: at, do: fc.constantFrom('region-down', 'region-up'), region: fc.constantFrom('primary', 'dr') }),
  fc.record({ atMs: at, do: fc.constant('heal') }),
);

/**
 * Runs that surely reach the rarer states: a fence refused (the old primary's data centre dark,
 * as in tests/acceptance/failover.test.ts), and a failover taken over by the next leader (the
 * leader crashes while it waits for the old lease to run out, fencing off).
 */
const RARE = [
  { events: [{ atMs: 5_000, do: 'crash', node: 'db-1' }, { atMs: 12_000, do: 'restart', node: 'db-1' }, { atMs: 16_000, do: 'region-down', region: 'dr' }], settings: {} },
  ...[1_000, 1_500, 2_000, 2_500, 3_000, 3_500].map((after) => ({
    events: [{ atMs: 5_000, do: 'crash', node: 'db-1' }, { atMs: 5_000 + after, do: 'crash', node: '@leader' }],
    settings: { fencing: false },
  })),
].map(({ events, settings }) =>
  generated({
    version: 1,
    title: 'the agent’s rarer states',
    seed: 1,
    durationMs: 30_000,
    topology: { orchestrators: 3, servers: 0, database: { standbys: [{ replication: 'async', region: 'dr' }] } },
    settings,
    workload: { writesPerSec: 10 },
    events,
  }),
);
const scheduleArb = fc.record({
  seed: fc.nat({ max: 0xffff_ffff }),
  quorum: fc.boolean(),
  fencing: fc.boolean(),
  faults: fc.array(faultArb, { maxLength: 10 }),
});

describe('the failover agent’s statechart and its plan', () => {
  it('agree after every event, in the bundled scenarios and random schedules', () => {
    for (const scenario of [...BUNDLED, ...RARE]) runScenario(scenario, { keepTrace: false });
    fc.assert(
      fc.property(scheduleArb, (s) => {
        const raw = {
          version: 1,
          title: 'property: the agent’s statechart follows its plan',
          seed: s.seed,
          durationMs: 40_000,
          topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async' }] } },
          settings: { quorum: s.quorum, fencing: s.fencing },
          events: [...s.faults, { atMs: 30_000, do: 'heal' }].sort((a, b) => a.atMs - b.atMs),
        };
        runScenario(generated(raw), { keepTrace: false });
        expect(disagreements, JSON.stringify(raw)).toEqual([]);
      }),
      propertyOptions(12),
    );
    expect(disagreements).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
    expect([...seen].sort()).toEqual(['confirming', 'done', 'draining', 'fence-failed', 'fencing', 'following', 'lease-wait', 'promoting', 'resuming', 'watching']);
  });
});
