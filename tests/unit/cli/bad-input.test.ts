// Proves every bad input of `npm run sim` ends in exit 2 with one short message naming the field, no stack trace: rates too small to schedule, an unwritable --trace, escape sequences in a title, huge keys and links, /dev/zero, a link that unpacks to megabytes, a file of 100 000 events.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { RAW_CONTROL, STACK_FRAME, simInProcess } from '../../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'ha-bad-input-'));
const base = { version: 1, title: 'bad input', seed: 1, durationMs: 2_000, topology: { orchestrators: 3, servers: 1, database: { standbys: [] } } };

function file(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

async function refused(...args: string[]) {
  const run = await simInProcess(...args);
  expect(run.status).toBe(2);
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(RAW_CONTROL);
  expect(run.stderr.length).toBeLessThan(2_000);
  return run.stderr;
}

describe('npm run sim refuses bad input in one short message naming the field', () => {
  it.each(['writesPerSec', 'proposalsPerSec', 'requestsPerSec'])('a %s too small to schedule (1e-310)', async (field) => {
    const path = file(`${field}.json`, `{"version":1,"durationMs":2000,"topology":{"servers":1},"workload":{"${field}":1e-310}}`);
    expect(await refused(path)).toMatch(new RegExp(`workload\\.${field}: must be 0 \\(none\\) or at least 0\\.000001 a second`));
  });

  it('a --trace into a missing folder or onto a folder, before the run starts', async () => {
    const scenario = file('ok.json', base);
    const missing = await refused(scenario, '--trace', join(dir, 'no-such-folder', 'trace.ndjson'));
    expect(missing).toMatch(/^sim: --trace: cannot write .*: its folder does not exist\n$/);
    expect(missing).not.toMatch(/bad input \(seed/);
    expect(await refused(scenario, '--trace', dir)).toMatch(/--trace: cannot write .*: it is a folder/);
  });

  it('prints a title\'s ESC, OSC and NUL escaped in the timeline, and the JSON report keeps it as the same value', async () => {
    const title = 'red \u001b[31mflag\u001b]0;owned\u0007 \u0000 \u009b2J';
    const path = file('escape.json', { ...base, title });
    const run = await simInProcess(path);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain('red \\x1b[31mflag\\x1b]0;owned\\x07 \\x00 \\x9b2J (seed 1)');
    const json = await simInProcess(path, '--json');
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.stdout).title).toBe(title);
  });

  it('echoes a 1.9 MB unknown key, a 40k-character link and an escape-laden option shortened and escaped', async () => {
    const key = 'k'.repeat(1_900_000);
    expect(await refused(file('key.json', { ...base, [key]: 1 }))).toMatch(/\["k+…"\]: unknown field/);
    const link = `http://localhost:5173/#s=${'A'.repeat(40_000)}`;
    expect(await refused(link)).toMatch(/\(link\): the scenario in this link is 40000 characters long/);
    expect(await refused(file('ok2.json', base), '--\u001b]52;c;evil\u0007')).toMatch(/unknown option --\\x1b\]52;c;evil\\x07/);
  });

  it('refuses /dev/zero after reading a bounded start of it', async () => {
    expect(await refused('/dev/zero')).toMatch(/^sim: \/dev\/zero is not a valid scenario:\n\(json\): the scenario is a file of more than \d+ bytes/);
  });

  it('refuses a link that unpacks to megabytes, without unpacking it all', async () => {
    const bomb = LZString.compressToEncodedURIComponent(JSON.stringify({ ...base, description: 'x'.repeat(2_100_000) }));
    expect(bomb.length).toBeLessThan(32_000);
    expect(await refused(`http://localhost:5173/#s=${bomb}`)).toMatch(/\(link\): the scenario in this link unpacks to more than 2000000 characters/);
  });

  it('names events for a file of 100 000 events', async () => {
    const events = Array.from({ length: 100_000 }, (_, i) => ({ atMs: i % 2_000, do: 'heal' }));
    expect(await refused(file('events.json', { ...base, events }))).toMatch(/^sim: .* is not a valid scenario:\nevents: has 100000 entries; at most 10000 are allowed/);
  });
});
