// Proves scripted example scenarios still produce exactly the trace we reviewed; any change to the engine's behaviour shows here as a diff. Rewrite only on purpose: `npm run golden:update`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run';
import { parseScenarioText } from '../../src/sim/scenario/parse';

const GOLDEN = ['raft-basics', 'raft-disruptive-rejoin', 'bully-partition', 'db-region-outage'];
const update = process.env.UPDATE_GOLDEN === '1';

function traceOf(preset: string): string {
  const parsed = parseScenarioText(readFileSync(new URL(`../../public/scenarios/${preset}.json`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return runScenario(parsed.scenario).trace.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

describe('golden traces', () => {
  it.each(GOLDEN.map((preset) => [preset, preset]))('%s matches tests/golden/traces/%s.ndjson', (preset) => {
    const file = new URL(`./traces/${preset}.ndjson`, import.meta.url);
    const actual = traceOf(preset);
    if (update || !existsSync(file)) {
      if (!update) throw new Error(`no golden trace for ${preset}; create it with npm run golden:update and review it`);
      writeFileSync(file, actual);
      return;
    }
    const expected = readFileSync(file, 'utf8');
    if (actual !== expected) {
      const a = actual.split('\n');
      const e = expected.split('\n');
      const line = a.findIndex((l, i) => l !== e[i]);
      expect(`line ${line + 1}: ${a[line]}`, `the trace differs from the reviewed one first at line ${line + 1}`).toBe(`line ${line + 1}: ${e[line]}`);
    }
  });
});
