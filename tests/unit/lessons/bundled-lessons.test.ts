// Proves every bundled lesson is true when followed as written: `npm run sim -- FILE --lesson` holds every claim of every step (and each question has exactly one answer that holds), and that the raft-hands-on lesson states the claims its text rests on.
import { describe, expect, it } from 'vitest';
import { bundledLessons } from '../../support/bundled-lessons';
import { playLesson } from '../../../src/sim/lesson/play';
import { lessonText } from '../../../src/cli/lesson';

const lessons = bundledLessons();

describe('bundled lessons followed as written', () => {
  it.each(lessons)('%s holds every claim', (_, scenario) => {
    const verdict = playLesson(scenario);
    expect(verdict.ok, lessonText(scenario, verdict)).toBe(true);
    expect(verdict.steps).toHaveLength(scenario.steps!.length);
  });

  // A card must not state what the run on screen contradicts: a text shown before the node it
  // names exists (api-4 "replaces" api-1 while api-1 is still up) tells of a run the learner has
  // not seen. A step may foretell, but then its claims wait (`after`) until the run shows it, and
  // the text is judged at that moment; the summary ("What you saw") shows with the last step once
  // its claims hold, so it is judged there too.
  it.each(lessons)('%s names no node before the run has it', (_, scenario) => {
    const verdict = playLesson(scenario);
    const prefixes = new Set(verdict.steps.flatMap((s) => s.nodes).map((id) => id.replace(/-\d+$/, '')));
    const named = (text: string) => [...text.matchAll(/\b([a-z]+)-(\d+)\b/g)].filter((m) => prefixes.has(m[1]!)).map((m) => m[0]);
    const early = verdict.steps.flatMap((step, i) => {
      const last = i === verdict.steps.length - 1;
      const text = `${scenario.steps![i]!.text} ${last ? (scenario.lessonSummary ?? '') : ''}`;
      return named(text)
        .filter((id) => !step.nodes.includes(id))
        .map((id) => `step ${i + 1} at ${step.currentAtMs} ms names ${id}, which the run does not have yet`);
    });
    expect(early).toEqual([]);
  });

  it('the hands-on lesson checks what its text says: the leader crashed, a new election, no majority', () => {
    const hands = lessons.find(([name]) => name === 'raft-hands-on.json')![1];
    const verdict = playLesson(hands);
    expect(verdict.steps.map((s) => s.did)).toEqual([null, 'crash orch-3', 'restart orch-3', 'crash orch-2', 'crash orch-3', 'restart orch-3', null]);
    expect(verdict.steps[5]!.claims.map((c) => c.result.expected)).toContain('no orchestrator leads');
  });
});
