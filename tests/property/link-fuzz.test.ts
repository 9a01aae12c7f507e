// Fuzzes the link decoder with thousands of malformed, truncated and hostile
// links: bad compression, text that is not JSON, JSON that is not a scenario, unknown versions,
// titles and descriptions full of markup. Every one gets a result (a scenario, or errors that name a
// field), never an exception; a title comes back as the same plain text, never changed into markup.
// And the command line's inputs (files, links, flags) fuzzed through `npm run sim` in-process: exit
// 0 or 2, never a stack trace, never a raw control character on the terminal, messages kept short.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { RAW_CONTROL, STACK_FRAME, simInProcess } from '../support/cli';
import { decodeScenarioParam, parseLocationHash } from '../../src/sim/scenario/url';
import { propertyOptions } from '../support/property';
import { expectWellFormed } from '../support/parse-result';

const base = {
  version: 1,
  title: 'Fuzz',
  durationMs: 10_000,
  topology: { orchestrators: 3, servers: 2, database: { standbys: [{ replication: 'sync' }] } },
  events: [{ atMs: 1000, do: 'crash', node: '@leader' }],
};

const compress = (text: string) => LZString.compressToEncodedURIComponent(text);


const markup = fc.constantFrom(
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '[x](javascript:alert(1))',
  '<iframe src="//evil"></iframe>',
  '{{constructor.constructor("alert(1)")()}}',
  '\u202e\u0000\ufeff',
);
const hostileText = fc.oneof(markup, fc.string(), fc.tuple(fc.string(), markup, fc.string()).map(([a, m, b]) => a + m + b));

/** Links as a person or a tool might damage them. */
const damagedLink = fc.oneof(
  // Truncated anywhere.
  fc.nat().map((n) => {
    const full = compress(JSON.stringify(base));
    return full.slice(0, n % full.length);
  }),
  // One character changed.
  fc.tuple(fc.nat(), fc.constantFrom(...'A-+$Zz09%'.split(''))).map(([n, ch]) => {
    const full = compress(JSON.stringify(base));
    const i = n % full.length;
    return full.slice(0, i) + ch + full.slice(i + 1);
  }),
  // Compressed text that is not JSON, or JSON that is not a scenario.
  fc.string().map(compress),
  fc.jsonValue().map((v) => compress(JSON.stringify(v))),
  // Unknown or missing versions.
  fc.oneof(fc.integer(), fc.constant(null), fc.string()).map((version) => compress(JSON.stringify({ ...base, version }))),
  // Arbitrary text that is not lz-string at all.
  fc.string(),
);

describe('the link decoder, fuzzed', () => {
  it('answers thousands of damaged links with a result, never an exception', () => {
    fc.assert(
      fc.property(damagedLink, (param) => {
        expectWellFormed(decodeScenarioParam(param));
        parseLocationHash(`#s=${param}&t=12`);
      }),
      propertyOptions(3000),
    );
  });

  it('keeps hostile titles and descriptions as the same plain text (the page renders them as text)', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (title, description) => {
        const result = decodeScenarioParam(compress(JSON.stringify({ ...base, title, description })));
        expectWellFormed(result);
        // A title or description that passes validation is carried verbatim: nothing is interpreted.
        if (result.ok) {
          expect(result.scenario.title).toBe(title.length > 0 ? title : result.scenario.title);
          expect(result.scenario.description).toBe(description);
        }
      }),
      propertyOptions(2000),
    );
  });

  it('names what is wrong for each kind of damage', () => {
    const damaged = decodeScenarioParam(compress(JSON.stringify(base)).slice(0, 20));
    expect(damaged.ok).toBe(false);
    if (!damaged.ok) expect(damaged.errors[0]!.path).toBe('(link)');
    const version = decodeScenarioParam(compress(JSON.stringify({ ...base, version: 2 })));
    expect(version.ok).toBe(false);
    if (!version.ok) expect(version.errors.map((e) => e.path)).toContain('version');
  });
});

// ---- the command line ----------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'ha-cli-fuzz-'));
let fileCount = 0;

/** Control characters and escape sequences a hostile file or flag might carry. */
const controls = fc.constantFrom('\u001b[2J', '\u001b]52;c;ZXZpbA==\u0007', '\u0000', '\u009b31m', '\u007f', '\r', '\u0008');
const nasty = fc.oneof(fc.string(), controls, fc.tuple(fc.string(), controls, fc.string()).map(([a, c, b]) => a + c + b));

/** A short run (so the fuzz stays quick), then damaged at one field with any JSON value or hostile text. */
const smallScenario = { version: 1, title: 'cli fuzz', seed: 3, durationMs: 1_500, topology: { orchestrators: 3, servers: 1, database: { standbys: [{ replication: 'async' }] } }, events: [{ atMs: 500, do: 'crash', node: '@leader' }] };
const fieldValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty, fc.constantFrom(1e-310, -0, 1e308, 0.5, 1e-7));
const scenarioText = fc.oneof(
  fc.tuple(fc.constantFrom('title', 'seed', 'durationMs', 'topology', 'workload', 'settings', 'events', 'version'), fieldValue).map(([key, value]) => JSON.stringify({ ...smallScenario, [key]: value })),
  fc.tuple(fc.constantFrom('writesPerSec', 'proposalsPerSec', 'requestsPerSec'), fieldValue).map(([key, value]) => JSON.stringify({ ...smallScenario, workload: { [key]: value } })),
  fc.tuple(nasty, fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => JSON.stringify({ ...smallScenario, [key]: value })),
  nasty.map((title) => JSON.stringify({ ...smallScenario, title: title.slice(0, 200) })),
  fc.nat().map((n) => JSON.stringify(smallScenario).slice(0, n % 200)),
  nasty,
);

const source = fc.oneof(
  scenarioText.map((text) => {
    const path = join(dir, `s-${fileCount++}.json`);
    writeFileSync(path, text);
    return path;
  }),
  scenarioText.map((text) => `http://localhost:5173/#s=${compress(text)}`),
  damagedLink.map((param) => `http://localhost:5173/?embed=1#s=${param}`),
  nasty.map((id) => `http://localhost:5173/#preset=${id}`),
  fc.constantFrom(join(dir, 'missing.json'), dir, '/dev/null'),
);

const flags = fc.array(
  fc.oneof(
    fc.constantFrom(['--json'], ['--all'], ['--grade'], ['--seed', '7'], ['--until', '800'], ['--trace', join(dir, 'out.ndjson')]),
    fc.constantFrom(['--trace', join(dir, 'missing', 'out.ndjson')], ['--trace', dir], ['--seed'], ['--until', '-1'], ['--against', join(dir, 'missing.json')]),
    fc.tuple(fc.constantFrom('--seed', '--until', '--against'), nasty).map(([flag, value]) => [flag, value]),
    nasty.map((flag) => [`--${flag}`]),
  ),
  { maxLength: 3 },
);

describe('the command line, fuzzed', () => {
  it('answers every file, link and flag with exit 0 or 2, no stack trace and nothing a terminal would obey', async () => {
    await fc.assert(
      fc.asyncProperty(source, flags, async (input, extra) => {
        const args = [input, ...extra.flat()];
        const run = await simInProcess(...args);
        const grading = args.includes('--grade');
        expect(grading ? [0, 1, 2] : [0, 2], JSON.stringify(args).slice(0, 300)).toContain(run.status);
        expect(run.stderr).not.toMatch(STACK_FRAME);
        expect(run.stderr).not.toMatch(RAW_CONTROL);
        expect(run.stdout).not.toMatch(RAW_CONTROL);
        if (run.status === 2) {
          expect(run.stderr).toMatch(/^sim: /);
          expect(run.stdout).toBe('');
          for (const line of run.stderr.split('\n')) expect(line.length).toBeLessThan(700);
        }
      }),
      propertyOptions(150),
    );
  });
});
