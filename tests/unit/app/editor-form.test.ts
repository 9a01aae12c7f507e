// Proves that the scenario editor's form and JSON stay one scenario: a form edit writes exactly its value into the JSON and leaves the rest alone, the JSON read back fills the form, bounds and defaults come from the format itself, and each validation error lands beside the field its path names.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { factsOf, formFields, hintOf, schemaAt, standbyFields, standbysMax, valueAt, type Field } from '../../../src/app/editor/fields';
import {
  applicable,
  checkText,
  formPaths,
  numberFromInput,
  placeErrors,
  readBool,
  readInput,
  readRange,
  toText,
  writeBool,
  writeInput,
  writeRangeEnd,
  type JsonObject,
} from '../../../src/app/editor/form';
import { DEFAULT_SETTINGS, DEFAULT_WORKLOAD } from '../../../src/sim/scenario/defaults';
import { parseScenario } from '../../../src/sim/scenario/parse';
import { LIMITS } from '../../../src/sim/scenario/schema';

const ALL_FIELDS = formFields({ database: true, standbys: 1, backups: true });

function field(path: string): Field {
  const found = ALL_FIELDS.find((f) => f.path.join('.') === path);
  if (!found) throw new Error(`no field ${path}`);
  return found;
}

const BASE: JsonObject = {
  $schema: 'https://example.org/scenario.schema.json',
  version: 1,
  title: 'Three orchestrators',
  description: 'Kept *as is*.',
  seed: 7,
  topology: { orchestrators: 3, election: 'raft', servers: 0, database: null },
  settings: { fencing: true, heartbeatMs: 100 },
  events: [{ atMs: 2000, do: 'crash', node: 'orch-2' }],
};

function errorsOf(doc: JsonObject) {
  const result = parseScenario(doc);
  return result.ok ? [] : result.errors;
}

describe('the form follows the format', () => {
  it('has a field for every setting and every workload figure, so a new one cannot be forgotten', () => {
    const shown = new Set(ALL_FIELDS.map((f) => f.path.join('.')));
    const settings = Object.keys(DEFAULT_SETTINGS).flatMap((key) => {
      const value = DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS];
      return typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).map((inner) => `settings.${key}.${inner}`) : [`settings.${key}`];
    });
    for (const path of [...settings, ...Object.keys(DEFAULT_WORKLOAD).map((k) => `workload.${k}`)]) expect(shown, path).toContain(path);
  });

  it('finds every field in the published schema', () => {
    for (const f of ALL_FIELDS) expect(schemaAt(f.path), f.path.join('.')).not.toBeNull();
  });

  it('takes its bounds from the schema limits and its defaults from the defaults', () => {
    expect(factsOf(field('topology.orchestrators'))).toMatchObject({ min: 0, max: LIMITS.orchestratorsMax, defaultValue: 3 });
    expect(factsOf(field('topology.servers')).max).toBe(LIMITS.serversMax);
    expect(factsOf(field('settings.healthCheck.failureThreshold'))).toMatchObject({ min: 1, max: LIMITS.healthCheckFailureThresholdMax, defaultValue: DEFAULT_SETTINGS.healthCheck.failureThreshold });
    expect(factsOf(field('settings.electionTimeoutMs'))).toMatchObject({ min: 1, max: LIMITS.durationMsMax, defaultValue: DEFAULT_SETTINGS.electionTimeoutMs });
    expect(factsOf(field('workload.writesPerSec')).max).toBe(LIMITS.writesPerSecMax);
    expect(factsOf(field('topology.backups.fullEveryMs')).max).toBe(LIMITS.periodMsMax);
    expect(standbysMax()).toBe(LIMITS.standbysMax);
    expect(factsOf(field('topology.election')).choices).toEqual(['raft', 'bully']);
    expect(factsOf(standbyFields(0)[0]!).choices).toEqual(['sync', 'async']);
    expect(factsOf(standbyFields(0)[1]!)).toMatchObject({ choices: ['primary', 'dr'], defaultValue: 'primary' });
  });

  it('says the bounds and the default under the field', () => {
    expect(hintOf(field('topology.orchestrators'), factsOf(field('topology.orchestrators')))).toBe(`0 to ${LIMITS.orchestratorsMax} · default 3`);
    expect(hintOf(field('settings.fencing'), factsOf(field('settings.fencing')))).toMatch(/default on$/);
    expect(hintOf(field('settings.latencyMs.local'), factsOf(field('settings.latencyMs.local')))).toMatch(/default 1 to 5 ms$/);
    expect(hintOf(field('durationMs'), factsOf(field('durationMs')))).toBe(
      `How long \`npm run sim\` runs it · 1 to ${LIMITS.durationMsMax.toLocaleString('en-US')} ms (7 days) · default 60,000 ms (1 minute)`,
    );
  });
});

describe('form to JSON', () => {
  it('writes one value and keeps every other key, events and description included', () => {
    const doc = writeInput(BASE, field('topology.orchestrators'), '5');
    expect(doc).toEqual({ ...BASE, topology: { ...(BASE.topology as object), orchestrators: 5 } });
    expect(toText(doc)).toContain('"orchestrators": 5');
    const off = writeBool(doc, field('settings.fencing'), false);
    expect(toText(off)).toContain('"fencing": false');
    expect((off.events as unknown[]).length).toBe(1);
    expect(off.description).toBe('Kept *as is*.');
  });

  it('creates the objects on the way to a value the file left out', () => {
    const doc = writeInput({ version: 1 }, field('settings.healthCheck.intervalMs'), '250');
    expect(doc).toEqual({ version: 1, settings: { healthCheck: { intervalMs: 250 } } });
    expect(parseScenario(doc).ok).toBe(true);
  });

  it('leaves a value out when its field is emptied, so the default applies again', () => {
    const doc = writeInput(BASE, field('settings.heartbeatMs'), '');
    expect(doc.settings).toEqual({ fencing: true });
    expect(readInput(doc, field('settings.heartbeatMs'))).toBe('');
  });

  it('keeps a half-typed number as typed, and validation names the field', () => {
    expect(numberFromInput('0.05')).toBe(0.05);
    expect(numberFromInput(' 12 ')).toBe(12);
    expect(numberFromInput('0.')).toBe('0.');
    expect(numberFromInput('1e3')).toBe('1e3');
    const doc = writeInput(BASE, field('settings.lossRate'), '0.');
    expect(readInput(doc, field('settings.lossRate'))).toBe('0.');
    expect(errorsOf(doc)).toEqual([{ path: 'settings.lossRate', message: 'expected a number, got "0."' }]);
  });

  it('fills a range the file left out from its default, one end at a time', () => {
    const doc = writeRangeEnd(BASE, field('settings.electionTimeoutMs'), 1, '3000');
    expect((doc.settings as JsonObject).electionTimeoutMs).toEqual([DEFAULT_SETTINGS.electionTimeoutMs[0], 3000]);
    const emptied = writeRangeEnd(doc, field('settings.electionTimeoutMs'), 0, '');
    expect(readRange(emptied, field('settings.electionTimeoutMs'))).toEqual(['', '3000']);
    expect(errorsOf(emptied).map((e) => e.path)).toEqual(['settings.electionTimeoutMs[0]']);
    const both = writeRangeEnd(emptied, field('settings.electionTimeoutMs'), 1, '');
    expect((both.settings as JsonObject).electionTimeoutMs).toBeUndefined();
  });

  it('shows a switch as the default while the file leaves it out', () => {
    expect(readBool(BASE, field('settings.quorum'))).toBe(DEFAULT_SETTINGS.quorum);
    expect(readBool(BASE, field('settings.preVote'))).toBe(DEFAULT_SETTINGS.preVote);
  });

  it('writes back exactly what it reads, for every field of every bundled scenario', () => {
    for (const name of readdirSync('public/scenarios').filter((f) => f.endsWith('.json') && f !== 'index.json')) {
      const doc = JSON.parse(readFileSync(`public/scenarios/${name}`, 'utf8')) as JsonObject;
      const standbys = ((doc.topology as JsonObject | undefined)?.database as JsonObject | null | undefined)?.standbys;
      const fields = [...ALL_FIELDS, ...(Array.isArray(standbys) ? standbys.flatMap((_, i) => standbyFields(i)) : [])];
      for (const f of fields) {
        let again: JsonObject;
        if (f.kind === 'bool') {
          if (typeof valueAt(doc, f.path) !== 'boolean') continue; // left out: the box shows the default
          again = writeBool(doc, f, readBool(doc, f));
        } else if (f.kind === 'range') {
          if (!Array.isArray(valueAt(doc, f.path))) continue;
          again = writeRangeEnd(doc, f, 0, readRange(doc, f)[0]);
        } else again = writeInput(doc, f, readInput(doc, f));
        expect(again, `${name}: ${f.path.join('.')}`).toEqual(doc);
      }
    }
  });
});

describe('JSON to form', () => {
  it('fills the form from the text whenever it reads as an object', () => {
    const text = toText({ ...BASE, topology: { orchestrators: 7, election: 'bully' } });
    const { doc, result } = checkText(text);
    expect(result.ok).toBe(true);
    expect(readInput(doc, field('topology.orchestrators'))).toBe('7');
    expect(readInput(doc, field('topology.election'))).toBe('bully');
  });

  it('still fills the form from a scenario with errors, so each error can sit by its field', () => {
    const { doc, result } = checkText(toText({ ...BASE, topology: { orchestrators: 12 } }));
    expect(readInput(doc, field('topology.orchestrators'))).toBe('12');
    expect(result.ok).toBe(false);
  });

  it('gives no form for text that is not JSON, and says why', () => {
    const { doc, result } = checkText('{ "version": 1, ');
    expect(doc).toBeNull();
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['(json)']);
    expect(result.ok ? '' : result.errors[0]!.message).toMatch(/^not valid JSON/);
    expect(checkText('[1, 2]').doc).toBeNull();
  });
});

describe('errors beside their fields', () => {
  const paths = formPaths(ALL_FIELDS);

  it('puts each error on the most specific field or group its path falls under', () => {
    const placed = placeErrors(
      [
        { path: 'topology.orchestrators', message: 'a' },
        { path: 'settings.electionTimeoutMs[0]', message: 'b' },
        { path: 'settings.heartbeat', message: 'c' },
        { path: 'topology.regions', message: 'd' },
        { path: 'events[0].node', message: 'e' },
        { path: '(json)', message: 'f' },
      ],
      paths,
    );
    expect(placed.get('topology.orchestrators')?.map((e) => e.message)).toEqual(['a']);
    expect(placed.get('settings.electionTimeoutMs')?.map((e) => e.message)).toEqual(['b']);
    expect(placed.get('settings')?.map((e) => e.message)).toEqual(['c']);
    expect(placed.get('topology.regions')?.map((e) => e.message)).toEqual(['d']);
    expect(placed.get('')?.map((e) => e.message)).toEqual(['e', 'f']);
  });

  it('shows the parser’s own message, naming the field and the bound', () => {
    const doc = writeInput(BASE, field('topology.orchestrators'), '12');
    const placed = placeErrors(errorsOf(doc), paths);
    expect(placed.get('topology.orchestrators')).toEqual([{ path: 'topology.orchestrators', message: `must be at most ${LIMITS.orchestratorsMax}, got 12` }]);
  });

  it('places a typo in a key on its section, with the suggestion', () => {
    const placed = placeErrors(errorsOf({ ...BASE, settings: { heartbeat: 100 } }), paths);
    expect(placed.get('settings')).toEqual([{ path: 'settings.heartbeat', message: 'unknown field; did you mean heartbeatMs?' }]);
  });
});

describe('what Apply opens', () => {
  it('opens a valid scenario as it is', () => {
    const ready = applicable(checkText(toText(BASE)));
    expect(ready.ok && ready.dropped).toEqual([]);
  });

  it('keeps recorded events that still fit and leaves out those that no longer do', () => {
    const withServers: JsonObject = {
      ...BASE,
      topology: { orchestrators: 3, servers: 2 },
      events: [
        { atMs: 1000, do: 'crash', node: 'api-2' },
        { atMs: 2000, do: 'crash', node: 'orch-2' },
        { atMs: 50_000, do: 'restart', node: 'orch-2' },
      ],
    };
    const edited = writeInput(writeInput(withServers, field('topology.servers'), '0'), field('durationMs'), '40000');
    const ready = applicable(checkText(toText(edited)));
    expect(ready.ok).toBe(true);
    if (!ready.ok) return;
    expect(ready.dropped).toEqual([0, 2]);
    expect(ready.scenario.events).toEqual([{ atMs: 2000, do: 'crash', node: 'orch-2' }]);
    expect(ready.value.topology).toEqual({ orchestrators: 3, servers: 0 });
  });

  it('opens nothing while any error is outside the events', () => {
    expect(applicable(checkText(toText(writeInput(BASE, field('topology.orchestrators'), '12')))).ok).toBe(false);
    expect(applicable(checkText('{')).ok).toBe(false);
  });
});
