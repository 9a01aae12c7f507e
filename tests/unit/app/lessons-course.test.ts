// Proves every bundled scenario is a lesson of the course: each has steps, a goal and a duration in the index, and a closing "what you saw"; at least six, spread over the article's sections, ask the learner to predict before the run shows, with answers the run can check; and the course visits the article's sections in order, each lesson once.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { courseOf } from '../../../src/app/lessons/gallery-sections';
import type { ScenarioListing } from '../../../src/app/store/engine';
import { parseScenarioText } from '../../../src/sim/scenario/parse';
import { ARTICLE_SECTIONS } from '../../support/article-sections';

const dir = new URL('../../../public/scenarios/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as ScenarioListing[];
const bundled = readdirSync(dir)
  .filter((name) => name.endsWith('.json') && name !== 'index.json')
  .map((name) => {
    const parsed = parseScenarioText(readFileSync(new URL(name, dir), 'utf8'));
    if (!parsed.ok) throw new Error(`${name} does not parse`);
    return { id: name.replace(/\.json$/, ''), scenario: parsed.scenario };
  });

describe('the course', () => {
  it.each(bundled)('$id is a lesson: steps, a goal, minutes and a closing summary', ({ id, scenario }) => {
    expect(scenario.steps?.length ?? 0, id).toBeGreaterThanOrEqual(3);
    expect(scenario.lessonSummary?.length ?? 0, id).toBeGreaterThan(80);
    const entry = index.find((e) => e.id === id);
    expect(entry, `${id} is listed in index.json`).toBeDefined();
    expect(entry!.goal!.length).toBeGreaterThan(20);
    expect(entry!.minutes).toBeGreaterThan(0);
    expect(entry!.guided).toBe(true);
  });

  it('at least six lessons, over at least five of the article’s sections, ask a prediction the run can check', () => {
    const asking = bundled.filter(({ scenario }) => scenario.steps!.some((step) => step.question));
    expect(asking.length).toBeGreaterThanOrEqual(6);
    const sections = new Set(asking.map(({ id }) => index.find((e) => e.id === id)!.section));
    expect(sections.size).toBeGreaterThanOrEqual(5);
    for (const { id, scenario } of asking) {
      for (const step of scenario.steps!.filter((s) => s.question)) {
        const { choices } = step.question!;
        // Each answer says what must hold on the run for it to be the right one, and the run says why at the reveal.
        for (const choice of choices) expect(choice.claims?.length ?? 0, `${id}: “${choice.label}”`).toBeGreaterThan(0);
        expect(choices.every((choice) => choice.why), id).toBe(true);
        // Timed, so that the scripted run reaches it, and answered before the step that follows it.
        expect(step.atMs, id).toBeDefined();
      }
    }
  });

  it('visits the article’s sections in order, each bundled lesson once', () => {
    const { sections, lessons } = courseOf(index);
    expect(sections.map((s) => s.title)).toEqual(ARTICLE_SECTIONS);
    expect(lessons.map((l) => l.id).sort()).toEqual(bundled.map((b) => b.id).sort());
    expect(lessons[0]!.number).toBe('1.1');
  });
});
