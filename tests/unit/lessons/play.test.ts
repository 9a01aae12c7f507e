// Proves `npm run sim -- FILE --lesson` judges a step only while the page shows it (a step the clock ends is no longer current at the next step's atMs, even when an event falls on that millisecond) and prints each step's text with its live values filled in from the run.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import { playLesson } from '../../../src/sim/lesson/play';
import { lessonText } from '../../../src/cli/lesson';

/** Three orchestrators whose leader crashes at 5 s, with the lesson `steps`. */
function scenario(steps: unknown[]): Scenario {
  const topology = { orchestrators: 3, election: 'raft', servers: 0, database: null };
  const result = parseScenario({ version: 1, title: 'Crash at 5 s', seed: 1, durationMs: 12_000, topology, events: [{ atMs: 5000, do: 'crash', node: '@leader' }], steps });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}

describe('a lesson followed on the command line', () => {
  it('judges a step up to the millisecond before the next step’s atMs, and the next from that millisecond on', () => {
    const verdict = playLesson(
      scenario([
        { text: '{leader} leads.', claims: [{ leader: '@any', after: 3000 }] },
        { text: 'At 5 s the leader {lastCrashed} crashed.', atMs: 5000, claims: [{ node: '@last-crashed', is: 'down' }] },
        { text: 'The others elect {leader} in term {term}.', atMs: 7000, claims: [{ leader: '@any' }] },
      ]),
    );
    expect(verdict.steps.map((s) => [s.currentAtMs, s.endsAtMs])).toEqual([
      [0, 5000],
      [5000, 7000],
      [7000, 12_000],
    ]);
    // The crash at 5000 ms is the second step's, not the first's: the first held to its end.
    expect(verdict.steps.map((s) => s.ok)).toEqual([true, true, true]);
  });

  it('a claim the next step’s first millisecond contradicts still fails where the page shows it', () => {
    const verdict = playLesson(
      scenario([
        { text: 'No one has crashed.', claims: [{ leader: '@any', after: 3000 }] },
        { text: 'Still no one has crashed.', atMs: 5001, claims: [{ leader: '@any' }] },
        { text: 'Done.', atMs: 9000 },
      ]),
    );
    expect(verdict.steps[0]!.ok).toBe(false);
    expect(verdict.steps[0]!.claims[0]!.failedAtMs).toBe(5000);
  });

  it('prints each step’s text with its live values filled in at the moment its claims are due', () => {
    const lesson = scenario([
      { text: '{leader} leads term {term}.', claims: [{ leader: '@any', after: 3000 }] },
      { text: 'At 5 s the leader {lastCrashed} crashed.', atMs: 5000, claims: [{ node: '@last-crashed', is: 'down' }] },
      { text: 'The others elect {leader} in term {term}.', atMs: 7000, claims: [{ leader: '@any' }] },
    ]);
    const verdict = playLesson(lesson);
    const first = verdict.steps[0]!.text;
    expect(first).toMatch(/^orch-\d leads term 1\.$/);
    const crashed = first.split(' ')[0]!;
    expect(verdict.steps[1]!.text).toBe(`At 5 s the leader ${crashed} crashed.`);
    expect(verdict.steps[2]!.text).toMatch(/^The others elect orch-\d in term 2\.$/);
    expect(verdict.steps[2]!.text).not.toContain(crashed);
    const printed = lessonText(lesson, verdict);
    expect(printed).toContain(`step 2 at 5.000 s: At 5 s the leader ${crashed} crashed.`);
    expect(printed).not.toMatch(/\{(leader|term|lastCrashed)\}/);
  });
});
