// Fuzzes the link decoder (CONTRACT.md section 5) with thousands of malformed, truncated and hostile
// links: bad compression, text that is not JSON, JSON that is not a scenario, unknown versions,
// titles and descriptions full of markup. Every one gets a result (a scenario, or errors that name a
// field), never an exception; a title comes back as the same plain text, never changed into markup.
import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
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
