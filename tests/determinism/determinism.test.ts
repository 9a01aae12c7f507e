// Proves a run is a pure function of (scenario, seed, recorded actions): same inputs, byte-identical report and trace; a user's live clicks replay exactly from the recorded scenario.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import { runScenario } from '../../src/sim/run';
import { parseScenarioText } from '../../src/sim/scenario/parse';
import { scenario } from '../support/scenario';

const presetDir = new URL('../../public/scenarios/', import.meta.url);
const presets = readdirSync(presetDir).filter((f) => f.endsWith('.json') && f !== 'index.json');

function serialize(result: ReturnType<typeof runScenario>) {
  return { report: JSON.stringify(result.report), trace: result.trace.map((e) => JSON.stringify(e)).join('\n') };
}

describe('determinism', () => {
  it.each(presets)('%s gives the same report and trace twice', (file) => {
    const parsed = parseScenarioText(readFileSync(new URL(file, presetDir), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const a = serialize(runScenario(parsed.scenario));
    const b = serialize(runScenario(parsed.scenario));
    expect(a.report).toBe(b.report);
    expect(a.trace).toBe(b.trace);
  });

  it('a different seed gives a different run', () => {
    const s = scenario({ topology: { orchestrators: 5, servers: 0 }, workload: { proposalsPerSec: 5 } });
    expect(serialize(runScenario(s)).trace).not.toBe(serialize(runScenario({ ...s, seed: 2 })).trace);
  });

  it('live clicks at arbitrary moments replay identically from the recorded scenario', () => {
    const s = scenario({ topology: { orchestrators: 5, servers: 0 }, workload: { proposalsPerSec: 10 }, durationMs: 30_000 });
    const live = new Simulation(s);
    // A user who plays, pauses at odd times, steps, and clicks.
    live.runUntil(3_217);
    live.act({ do: 'crash', node: '@leader' });
    for (let i = 0; i < 7; i++) live.stepInstant();
    live.act({ do: 'propose', cmd: 'hello' });
    live.runUntil(9_001);
    live.act({ do: 'partition', groups: [['orch-1', 'orch-2'], ['*']] });
    live.runUntil(15_500);
    live.act({ do: 'heal' });
    live.act({ do: 'restart', node: 'orch-1' });
    live.act({ do: 'restart', node: 'orch-2' });
    live.act({ do: 'restart', node: 'orch-3' });
    live.runUntil(30_000);
    const recorded = live.recordedScenario();
    const replay = runScenario(recorded);
    expect(JSON.stringify(replay.report)).toBe(JSON.stringify(live.report()));
    expect(replay.trace.map((e) => JSON.stringify(e))).toEqual(live.trace.map((e) => JSON.stringify(e)));
  });
});
