// Proves that a saved scenario file reopens the same run (the user's clicks included, byte-identical report), points editors at the published schema, gets a file name from its title, that a bad file gets a message naming what is wrong, and that the editor's draft survives a reload only while it holds changes.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearDraft, loadDraft, saveDraft } from '../../../src/app/editor/draft';
import { SCHEMA_FILE, fileTooBig, readScenarioFile, scenarioFileName, scenarioFileText, schemaUrl } from '../../../src/app/editor/file';
import { reportText, runScenario } from '../../../src/sim/run';
import { MAX_SCENARIO_TEXT_CHARS, parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import { Session } from '../../../src/worker/session';
import { blockedStorage } from '../../support/blocked-storage';

function preset(id: string): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(`public/scenarios/${id}.json`, 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** A run with the user's own clicks, as the worker records it. */
function recordedRun(): Scenario {
  const session = new Session(preset('raft-basics'), 1);
  session.seek(3000);
  session.act({ do: 'crash', node: '@leader' });
  session.seek(6000);
  session.act({ do: 'propose', cmd: 'set x=1' });
  return session.recordedScenario();
}

const SCHEMA = 'https://playground.example/ha/scenario.schema.json';

describe('Save scenario file', () => {
  it('writes the recorded scenario, clicks included, with $schema first', () => {
    const recorded = recordedRun();
    const text = scenarioFileText(recorded, SCHEMA);
    const value = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(value)[0]).toBe('$schema');
    expect(value.$schema).toBe(SCHEMA);
    expect(value.events).toEqual(expect.arrayContaining([{ atMs: 3000, do: 'crash', node: '@leader' }, { atMs: 6000, do: 'propose', cmd: 'set x=1' }]));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "version": 1,');
  });

  it('reopens to the same scenario and the same run', () => {
    const recorded = recordedRun();
    const reopened = parseScenario(JSON.parse(scenarioFileText(recorded, SCHEMA)));
    expect(reopened.ok && reopened.scenario).toEqual(recorded);
    if (!reopened.ok) return;
    const original = reportText(runScenario(recorded, { keepTrace: false, untilMs: 20_000 }).report);
    expect(reportText(runScenario(reopened.scenario, { keepTrace: false, untilMs: 20_000 }).report)).toBe(original);
    // The clicks are in that run: without them it is another run.
    expect(reportText(runScenario(preset('raft-basics'), { keepTrace: false, untilMs: 20_000 }).report)).not.toBe(original);
  });

  it('points at the schema the site publishes, wherever the site lives', () => {
    expect(schemaUrl('https://example.org/tools/ha/index.html#preset=raft-basics')).toBe('https://example.org/tools/ha/scenario.schema.json');
    expect(readFileSync(`public/${SCHEMA_FILE}`, 'utf8')).toContain('"$id": "urn:ha-playground:scenario:1"');
  });

  it('names the file after the title', () => {
    expect(scenarioFileName('Primary disk fails!')).toBe('primary-disk-fails.json');
    expect(scenarioFileName('  Raft: São Paulo → Mumbai  ')).toBe('raft-sao-paulo-mumbai.json');
    expect(scenarioFileName('<script>')).toBe('script.json');
    expect(scenarioFileName('***')).toBe('scenario.json');
    expect(scenarioFileName('x'.repeat(300))).toBe(`${'x'.repeat(60)}.json`);
  });
});

describe('Open scenario file', () => {
  it('reads a file as JSON, a byte-order mark included', () => {
    expect(readScenarioFile('\uFEFF{"version": 1}', 'a.json')).toEqual({ ok: true, value: { version: 1 } });
  });

  it('says which file is not JSON and why', () => {
    const read = readScenarioFile('{"version": 1,', 'broken.json');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.message).toMatch(/^The scenario from the file “broken\.json” is not valid:\nnot valid JSON: /);
  });

  it('refuses what is far too big before reading it, and what is too long once read', () => {
    expect(fileTooBig(MAX_SCENARIO_TEXT_CHARS * 4 + 1)).toBe(true);
    expect(fileTooBig(MAX_SCENARIO_TEXT_CHARS)).toBe(false);
    const read = readScenarioFile(' '.repeat(MAX_SCENARIO_TEXT_CHARS + 1), 'huge.json');
    expect(read.ok ? '' : read.message).toContain(`at most ${MAX_SCENARIO_TEXT_CHARS} are accepted`);
  });
});

describe('the editor draft', () => {
  const store = new Map<string, string>();
  beforeEach(() => {
    store.clear();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
  });
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('is kept while the text differs from where the editing started, and offered back', () => {
    saveDraft({ text: '{"version": 1, "title": "b"}', baseText: '{"version": 1}' });
    expect(loadDraft()).toEqual({ text: '{"version": 1, "title": "b"}', baseText: '{"version": 1}' });
  });

  it('is dropped when the edits are undone, cleared, or damaged', () => {
    saveDraft({ text: 'a', baseText: 'b' });
    saveDraft({ text: 'b', baseText: 'b' });
    expect(loadDraft()).toBeNull();
    saveDraft({ text: 'a', baseText: 'b' });
    clearDraft();
    expect(loadDraft()).toBeNull();
    store.set('ha-playground:editor-draft:v1', '{not json');
    expect(loadDraft()).toBeNull();
  });

  it('never throws where storage is blocked', () => {
    (globalThis as { localStorage?: unknown }).localStorage = blockedStorage();
    expect(() => saveDraft({ text: 'a', baseText: 'b' })).not.toThrow();
    expect(loadDraft()).toBeNull();
    expect(() => clearDraft()).not.toThrow();
  });
});
