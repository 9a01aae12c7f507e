// Proves scenario links follow its documented format: encode→decode round-trips, hashes are read strictly, damaged links get a clear error.
import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { decodeScenarioParam, encodeScenarioHash, parseLocationHash } from '../../../src/sim/scenario/url';
import { parseScenario } from '../../../src/sim/scenario/parse';
import { propertyOptions } from '../../support/property';

const scenario = {
  version: 1,
  title: 'Link me — ünïcødé & symbols +$/?#',
  seed: 42,
  topology: { orchestrators: 5, servers: 0 },
  events: [
    { atMs: 1000, do: 'crash', node: '@leader' },
    { atMs: 4000, do: 'propose', cmd: 'set x = "1" & y+z' },
  ],
};

describe('encodeScenarioHash', () => {
  it('is exactly s= plus lz-string of the JSON text, as the contract fixes', () => {
    expect(encodeScenarioHash(scenario)).toBe(`s=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`);
  });

  it('round-trips through parseLocationHash and decodeScenarioParam', () => {
    const hash = `#${encodeScenarioHash(scenario)}&t=2500`;
    const location = parseLocationHash(hash);
    expect(location.tMs).toBe(2500);
    const decoded = decodeScenarioParam(location.scenarioParam!);
    expect(decoded).toEqual(parseScenario(scenario));
    expect(decoded.ok).toBe(true);
  });

  it('round-trips any parsed scenario', () => {
    const titles = fc.string({ maxLength: 200, unit: 'grapheme' });
    fc.assert(
      fc.property(titles, fc.nat({ max: 0xffff_ffff }), (title, seed) => {
        const parsed = parseScenario({ version: 1, title, seed });
        if (!parsed.ok) throw new Error('base must parse');
        const { scenarioParam } = parseLocationHash(encodeScenarioHash(parsed.scenario));
        expect(decodeScenarioParam(scenarioParam!)).toEqual(parsed);
      }),
      propertyOptions(200),
    );
  });

  it('survives a second round of percent-encoding by some tool', () => {
    const param = parseLocationHash(encodeScenarioHash(scenario)).scenarioParam!;
    expect(decodeScenarioParam(encodeURIComponent(param))).toEqual(parseScenario(scenario));
  });
});

describe('parseLocationHash', () => {
  it('reads a preset and a time', () => {
    expect(parseLocationHash('#preset=split-brain&t=12000')).toEqual({ preset: 'split-brain', tMs: 12000 });
    expect(parseLocationHash('preset=raft-basics')).toEqual({ preset: 'raft-basics' });
  });

  it('keeps "+" in s= (lz-string uses it; form decoding would turn it into a space)', () => {
    expect(parseLocationHash('#s=ab+c$d-e&t=0')).toEqual({ scenarioParam: 'ab+c$d-e', tMs: 0 });
  });

  it('leaves out what is malformed instead of guessing', () => {
    expect(parseLocationHash('')).toEqual({});
    expect(parseLocationHash('#t=-5&t2=1')).toEqual({});
    expect(parseLocationHash('#t=1.5')).toEqual({});
    expect(parseLocationHash('#t=99999999999')).toEqual({});
    expect(parseLocationHash('#preset=../../etc/passwd')).toEqual({});
    expect(parseLocationHash('#preset=%E0%A4%A')).toEqual({});
    expect(parseLocationHash('#preset=Raft')).toEqual({});
    expect(parseLocationHash('#s=&preset=x')).toEqual({ preset: 'x' });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (hash) => void parseLocationHash(hash)), propertyOptions(500));
  });
});

describe('decodeScenarioParam', () => {
  it('a damaged link gets an error at (link) that says so', () => {
    for (const bad of ['!!!not-lz!!!', 'N4Ig', '%', '']) {
      const result = decodeScenarioParam(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) {
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0]!.path).toBe('(link)');
        expect(result.errors[0]!.message).toMatch(/link/);
      }
    }
  });

  it('a link cut short is reported as damaged', () => {
    const param = encodeScenarioHash(scenario).slice(2);
    const result = decodeScenarioParam(param.slice(0, Math.floor(param.length / 2)));
    expect(!result.ok && result.errors[0]).toMatchObject({ path: '(link)', message: expect.stringMatching(/damaged or cut short/) });
  });

  it('a link to an invalid scenario gets the same field errors as a file', () => {
    const result = decodeScenarioParam(encodeScenarioHash({ version: 1, seed: -1 }).slice(2));
    expect(!result.ok && result.errors[0]!.path).toBe('seed');
  });

  it('refuses an oversized link before decompressing it', () => {
    const result = decodeScenarioParam('A'.repeat(40_000));
    expect(!result.ok && result.errors[0]).toMatchObject({ path: '(link)', message: expect.stringMatching(/at most 32000/) });
  });

  it('a link expanding to more text than any scenario needs is refused, not built into a page', () => {
    const bomb = LZString.compressToEncodedURIComponent('a'.repeat(10_000_000));
    expect(bomb.length).toBeLessThan(32_000);
    const result = decodeScenarioParam(bomb);
    expect(!result.ok && result.errors[0]).toMatchObject({ path: '(link)', message: expect.stringMatching(/at most 2000000/) });
  });

  it('holds a scenario of 2 000 recorded clicks', () => {
    const events = Array.from({ length: 2000 }, (_, i) => ({ atMs: i * 100, do: i % 2 ? 'restart' : 'crash', node: `orch-${1 + (i % 3)}` }));
    const param = encodeScenarioHash({ version: 1, durationMs: 600_000, events }).slice(2);
    expect(decodeScenarioParam(param).ok).toBe(true);
  });

  it('never throws on arbitrary text', () => {
    const alphabet = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$%'.split('')) });
    fc.assert(fc.property(fc.oneof(fc.string(), alphabet), (param) => void decodeScenarioParam(param)), propertyOptions(1000));
  });
});
