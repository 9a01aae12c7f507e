/** Every bundled scenario in public/scenarios that has lesson steps, parsed, with its file name. */
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenarioText } from '../../src/sim/scenario/parse';
import type { Scenario } from '../../src/sim/scenario/types';

const dir = new URL('../../public/scenarios/', import.meta.url);

export function bundledLessons(): (readonly [string, Scenario])[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== 'index.json')
    .map((name) => {
      const parsed = parseScenarioText(readFileSync(new URL(name, dir), 'utf8'));
      if (!parsed.ok) throw new Error(name);
      return [name, parsed.scenario] as const;
    })
    .filter(([, scenario]) => (scenario.steps?.length ?? 0) > 0);
}
