// Proves that the embed reads only well-formed commands from the page around it (anything else, from anyone, is null and never an exception), that a scenario arrives as plain JSON of bounded size, and that `Open in playground` links reopen the same run: a preset by name while untouched, otherwise the recorded scenario in the contract's `#s=` encoding, with the moment on screen.
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { loadLinkEncoder, playgroundHash, playgroundUrl } from '../../../src/app/embed/links';
import { MAX_SCENARIO_JSON_CHARS, SOURCE, plainScenario, readIncoming } from '../../../src/app/embed/messages';
import { isEmbedded } from '../../../src/app/embed/mode';
import { encodeScenarioHash } from '../../../src/sim/scenario/url';

const SCENARIO = { version: 1, title: 'Three orchestrators', seed: 3, topology: { orchestrators: 3 }, events: [{ atMs: 500, do: 'crash', node: 'orch-1' }] };

describe('readIncoming', () => {
  it('reads each command of the contract', () => {
    expect(readIncoming({ source: SOURCE, type: 'play' })).toEqual({ type: 'play' });
    expect(readIncoming({ source: SOURCE, type: 'pause' })).toEqual({ type: 'pause' });
    expect(readIncoming({ source: SOURCE, type: 'seek', atMs: 8000 })).toEqual({ type: 'seek', atMs: 8000 });
    expect(readIncoming({ source: SOURCE, type: 'seek', atMs: 1234.9 })).toEqual({ type: 'seek', atMs: 1234 });
    expect(readIncoming({ source: SOURCE, type: 'load', scenario: SCENARIO })).toEqual({ type: 'load', scenario: SCENARIO });
  });

  it('ignores other senders, unknown types and wrong shapes', () => {
    const junk: unknown[] = [
      undefined,
      null,
      0,
      'play',
      [SOURCE, 'play'],
      { type: 'play' },
      { source: 'elsewhere', type: 'play' },
      { source: SOURCE },
      { source: SOURCE, type: 'PLAY' },
      { source: SOURCE, type: 'resize', height: 10 },
      { source: SOURCE, type: 'seek' },
      { source: SOURCE, type: 'seek', atMs: '5000' },
      { source: SOURCE, type: 'seek', atMs: -1 },
      { source: SOURCE, type: 'seek', atMs: Number.NaN },
      { source: SOURCE, type: 'seek', atMs: Number.POSITIVE_INFINITY },
      { source: SOURCE, type: 'load' },
      { source: SOURCE, type: 'load', scenario: null },
      { source: SOURCE, type: 'load', scenario: '{"version":1}' },
      { source: SOURCE, type: 'load', scenario: [SCENARIO] },
    ];
    for (const data of junk) expect(readIncoming(data)).toBeNull();
  });

  it('never throws, even on an object whose properties throw when read', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('gotcha');
        },
      },
    );
    expect(readIncoming(hostile)).toBeNull();
    expect(readIncoming({ source: SOURCE, type: 'load', scenario: hostile })).toBeNull();
  });
});

describe('plainScenario', () => {
  it('returns a JSON copy: what a file could not hold is gone', () => {
    const copy = plainScenario({ ...SCENARIO, at: new Date(0), skip: undefined });
    expect(copy).toEqual({ ...SCENARIO, at: '1970-01-01T00:00:00.000Z' });
    expect(copy).not.toHaveProperty('skip');
  });

  it('refuses cycles, values JSON cannot write, and oversized scenarios', () => {
    const cyclic: Record<string, unknown> = { version: 1 };
    cyclic.self = cyclic;
    expect(plainScenario(cyclic)).toBeNull();
    expect(plainScenario({ version: 1, big: 1n })).toBeNull();
    expect(plainScenario({ version: 1, title: 'x'.repeat(MAX_SCENARIO_JSON_CHARS) })).toBeNull();
    expect(plainScenario({ version: 1, title: 'x'.repeat(MAX_SCENARIO_JSON_CHARS - 100) })).not.toBeNull();
  });
});

describe('Open in playground', () => {
  it('names an untouched preset, with the time once it has moved', () => {
    expect(playgroundHash({ preset: 'raft-basics', recorded: SCENARIO, actionCount: 0, atMs: 0 })).toBe('#preset=raft-basics');
    expect(playgroundHash({ preset: 'raft-basics', recorded: SCENARIO, actionCount: 0, atMs: 4321.7 })).toBe('#preset=raft-basics&t=4321');
  });

  it('carries the recorded run once the reader has clicked, or when the scenario came by message', async () => {
    // Until its encoder has loaded (the embed fetches it at the first click) the link stays the preset's.
    expect(playgroundHash({ preset: 'raft-basics', recorded: SCENARIO, actionCount: 1, atMs: 900 })).toBe('#preset=raft-basics&t=900');
    await loadLinkEncoder();
    const expected = `#${encodeScenarioHash(SCENARIO)}&t=900`;
    expect(playgroundHash({ preset: 'raft-basics', recorded: SCENARIO, actionCount: 1, atMs: 900 })).toBe(expected);
    expect(playgroundHash({ preset: null, recorded: SCENARIO, actionCount: 0, atMs: 900 })).toBe(expected);
    const encoded = /^#s=([^&]+)/.exec(expected)![1]!;
    expect(JSON.parse(LZString.decompressFromEncodedURIComponent(encoded))).toEqual(SCENARIO);
  });

  it('points at the full page: the same address without embed=1, other parameters kept', () => {
    expect(playgroundUrl('https://example.org/ha/?embed=1#preset=raft-basics', '#preset=raft-basics&t=5')).toBe('https://example.org/ha/#preset=raft-basics&t=5');
    expect(playgroundUrl('https://example.org/?lang=en&embed=1#s=abc', '#s=xyz')).toBe('https://example.org/?lang=en#s=xyz');
  });
});

describe('isEmbedded', () => {
  it('is on for ?embed=1 only', () => {
    expect(isEmbedded('?embed=1')).toBe(true);
    expect(isEmbedded('?x=2&embed=1')).toBe(true);
    expect(isEmbedded('')).toBe(false);
    expect(isEmbedded('?embed=0')).toBe(false);
    expect(isEmbedded('?embedded=1')).toBe(false);
  });
});
