// Proves every bundled lesson is true when followed as written: `npm run sim -- FILE --lesson` holds every claim of every step (and each question has exactly one answer that holds), and that the raft-hands-on lesson states the claims its text rests on.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../src/sim/scenario/parse';
import { playLesson } from '../../../src/sim/lesson/play';
import { lessonText } from '../../../src/cli/lesson';

const dir = new URL('../../../public/scenarios/', import.meta.url);
const lessons = readdirSync(dir)
  .filter((name) => name.endsWith('.json') && name !== 'index.json')
  .map((name) => {
    const parsed = parseScenarioText(readFileSync(new URL(name, dir), 'utf8'));
    if (!parsed.ok) throw new Error(name);
    return [name, parsed.scenario] as const;
  })
  .filter(([, scenario]) => (scenario.steps?.length ?? 0) > 0);

describe('bundled lessons followed as written', () => {
  it.each(lessons)('%s holds every claim', (_, scenario) => {
    const verdict = playLesson(scenario);
    expect(verdict.ok, lessonText(scenario, verdict)).toBe(true);
    expect(verdict.steps).toHaveLength(scenario.steps!.length);
  });

  it('the hands-on lesson checks what its text says: the leader crashed, a new election, no majority', () => {
    const hands = lessons.find(([name]) => name === 'raft-hands-on.json')![1];
    const verdict = playLesson(hands);
    expect(verdict.steps.map((s) => s.did)).toEqual([null, 'crash orch-3', 'restart orch-3', 'crash orch-1', 'crash orch-3', 'restart orch-3', null]);
    expect(verdict.steps[5]!.claims.map((c) => c.result.expected)).toContain('no orchestrator leads');
  });
});
