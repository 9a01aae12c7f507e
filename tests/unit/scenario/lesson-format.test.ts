// The lesson step format's newer fields: claims, live values in text, a question, a closing summary.
import { describe, expect, it } from 'vitest';
import { errorAt, errorsOf, parsedOk, scenarioWith } from './helpers';

const withSteps = (steps: unknown[], fields: Record<string, unknown> = {}) =>
  scenarioWith({ topology: { orchestrators: 3, database: { standbys: [{ replication: 'sync' }] } }, ...fields, steps });

describe('lesson claims', () => {
  it('keeps every kind of claim as written, without fields left out', () => {
    const claims = [
      { leader: '@any', after: 3000 },
      { leader: 'orch-2' },
      { noLeader: true },
      { primary: 'db-2' },
      { primaries: 2 },
      { writesRejected: true },
      { meter: 'lostWrites', above: 0 },
      { invariant: 'single-writer', holds: false },
      { node: 'orch-1', is: 'down' },
    ];
    const scenario = parsedOk(withSteps([{ text: 'Watch.', claims }]));
    expect(scenario.steps![0]!.claims).toEqual(claims);
    expect(Object.keys(scenario.steps![0]!)).toEqual(['text', 'claims']);
  });

  it('refuses a claim that mixes two kinds, or names an unknown meter, or bounds no meter', () => {
    errorAt(withSteps([{ text: 'x', claims: [{ leader: 'orch-1', noLeader: true }] }]), 'steps[0].claims[0].noLeader');
    errorsOf(withSteps([{ text: 'x', claims: [{ meter: 'happiness', above: 0 }] }]));
    errorsOf(withSteps([{ text: 'x', claims: [{ meter: 'lostWrites' }] }]));
    errorsOf(withSteps([{ text: 'x', claims: [{ node: 'orch-1', is: 'asleep' }] }]));
  });
});

describe('live values in lesson text', () => {
  it('accepts the known placeholders, and braces around words with spaces as plain text', () => {
    const text = '**{leader} leads term {term}.** {primary}, {standby}, {lastCrashed}, {lastRestarted}; a set { a, b } stays text';
    expect(parsedOk(withSteps([{ text }])).steps![0]!.text).toBe(text);
  });

  it('refuses an unknown placeholder, naming it and the known ones', () => {
    expect(errorAt(withSteps([{ text: '{leeder} leads' }]), 'steps[0].text').message).toMatch(/\{leeder\}.*\{leader\}/);
    expect(errorAt(withSteps([{ text: 'ok' }], { lessonSummary: 'You saw {nothing}.' }), 'lessonSummary').message).toMatch(/\{nothing\}/);
  });
});

describe('a question', () => {
  const question = {
    prompt: 'Which node becomes the new primary?',
    choices: [
      { label: 'db-2, the synchronous standby', claims: [{ primary: 'db-2' }], why: 'Only it holds every acknowledged write.' },
      { label: 'Nobody' },
    ],
    revealAfterMs: 15000,
  };

  it('keeps the prompt, the choices and the reveal time', () => {
    expect(parsedOk(withSteps([{ text: 'Predict.', question }])).steps![0]!.question).toEqual(question);
  });

  it('needs two choices at least, and checks their placeholders', () => {
    errorsOf(withSteps([{ text: 'x', question: { ...question, choices: [question.choices[0]] } }]));
    expect(errorAt(withSteps([{ text: 'x', question: { ...question, choices: [{ label: '{who}' }, { label: 'b' }] } }]), 'steps[0].question.choices[0].label').message).toMatch(/\{who\}/);
  });
});

describe('the lesson summary', () => {
  it('is kept when given and absent otherwise', () => {
    expect(parsedOk(withSteps([{ text: 'x' }], { lessonSummary: 'You saw **{leader}** win.' })).lessonSummary).toBe('You saw **{leader}** win.');
    expect('lessonSummary' in parsedOk(withSteps([{ text: 'x' }]))).toBe(false);
  });
});
