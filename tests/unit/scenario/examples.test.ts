// Proves every bundled example scenario is valid and that index.json lists exactly those files, in teaching order.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, formatErrors } from '../../../src/sim/scenario/parse';

const dir = new URL('../../../public/scenarios/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const files = readdirSync(dir).filter((name) => name.endsWith('.json') && name !== 'index.json');
const index = JSON.parse(read('index.json')) as { id: string; title: string; summary: string }[];

describe('bundled scenarios', () => {
  it.each(files)('%s parses', (name) => {
    const result = parseScenarioText(read(name));
    expect(result.ok ? '' : formatErrors(result.errors)).toBe('');
  });

  it('index.json lists each file once, with its title and a summary', () => {
    expect(index.map((entry) => `${entry.id}.json`).sort()).toEqual([...files].sort());
    for (const entry of index) {
      const result = parseScenarioText(read(`${entry.id}.json`));
      expect(result.ok && result.scenario.title).toBe(entry.title);
      expect(entry.summary.length).toBeGreaterThan(20);
    }
  });

  it('the lessons start with Raft basics and include the ones the course needs', () => {
    expect(index[0]!.id).toBe('raft-basics');
    expect(index.map((entry) => entry.id)).toEqual(
      expect.arrayContaining(['raft-partition', 'raft-disruptive-rejoin', 'raft-prevote', 'bully-partition', 'raft-restart-from-disk']),
    );
  });

  it('each example says what to watch and scripts at least one fault, or is a guided lesson whose steps ask the learner for one', () => {
    for (const name of files) {
      const result = parseScenarioText(read(name));
      if (!result.ok) throw new Error(name);
      expect(result.scenario.description, name).toMatch(/Watch/);
      const guided = (result.scenario.steps ?? []).some((step) => step.action !== undefined);
      expect(result.scenario.events.length > 0 || guided, name).toBe(true);
    }
  });

  it('the PreVote pair differs only in its settings, so the comparison is fair', () => {
    const without = parseScenarioText(read('raft-disruptive-rejoin.json'));
    const withPreVote = parseScenarioText(read('raft-prevote.json'));
    if (!without.ok || !withPreVote.ok) throw new Error('both must parse');
    expect(without.scenario.settings.preVote).toBe(false);
    expect(withPreVote.scenario.settings).toMatchObject({ preVote: true, checkQuorum: true });
    expect(withPreVote.scenario.events).toEqual(without.scenario.events);
    expect(withPreVote.scenario.topology).toEqual(without.scenario.topology);
  });
});
