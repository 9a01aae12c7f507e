// Proves the command line's flags read as the usage says, through Node's own tokenizer: values
// inline or apart, an optional disaster after --compare, `--` before a file that starts with a
// dash, and the first mistake refused in words naming the flag.
import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../../src/cli/options';

const refusal = (...argv: string[]) => {
  try {
    parseOptions(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('the command line flags', () => {
  it('reads a file and every flag, a value apart or after =', () => {
    expect(parseOptions(['run.json', '--seed', '7', '--until=800', '--json', '--all', '--trace', 'out.ndjson', '--grade', '--against=teacher.json'])).toEqual({
      source: 'run.json', seed: 7, untilMs: 800, json: true, all: true, tracePath: 'out.ndjson', grade: true, against: 'teacher.json', lesson: false,
    });
    expect(parseOptions(['--json', 'run.json'])).toEqual({ source: 'run.json', json: true, all: false, grade: false, lesson: false });
    expect(parseOptions(['run.json', '--lesson']).lesson).toBe(true);
  });

  it('refuses --lesson with what would change the run it follows', () => {
    expect(() => parseOptions(['run.json', '--lesson', '--until', '5'])).toThrow(/--lesson decides/);
    expect(() => parseOptions(['--compare', '--lesson'])).toThrow(/--lesson follows a scenario file/);
  });

  it('takes a disaster after --compare, the disk when none is named', () => {
    expect(parseOptions(['--compare']).compare).toBe('disk');
    expect(parseOptions(['--compare', '--json'])).toMatchObject({ compare: 'disk', json: true });
    expect(parseOptions(['--compare', 'region'])).toMatchObject({ compare: 'region', source: '' });
    expect(parseOptions(['--compare=region']).compare).toBe('region');
    expect(refusal('--compare', 'flood')).toBe('--compare takes a disaster, one of disk, region; got flood');
    expect(refusal('--compare', 'disk', 'run.json')).toBe('--compare builds its own scenarios; drop run.json');
    expect(refusal('--compare', '--seed', '3')).toMatch(/takes only --json/);
  });

  it('reads everything after -- as a file, even one starting with a dash', () => {
    expect(parseOptions(['--json', '--', '-odd.json']).source).toBe('-odd.json');
  });

  it('refuses each mistake in one sentence naming the flag', () => {
    expect(refusal('run.json', '--seed', 'abc')).toBe('--seed expects a whole number from 0 to 4294967295, got abc');
    expect(refusal('run.json', '--seed')).toBe('--seed expects a whole number from 0 to 4294967295, got nothing');
    expect(refusal('run.json', '--until', '-1')).toBe('--until expects a whole number from 0 to 604800000, got -1');
    expect(refusal('run.json', '--trace')).toBe('--trace expects a file name');
    expect(refusal('run.json', '--grade', '--against', '')).toBe('--against expects the challenge file');
    expect(refusal('run.json', '--against', 't.json')).toBe('--against goes with --grade');
    expect(refusal('run.json', '--colour')).toBe('unknown option --colour');
    expect(refusal('run.json', '-x')).toBe('unknown option -x');
    expect(refusal('run.json', '--json=yes')).toBe('--json takes no value; got --json=yes');
    expect(refusal('a.json', 'b.json')).toBe('one scenario at a time; got a.json and b.json');
    expect(refusal()).toBe('which scenario? give a file or a link');
  });

  it('asks for the usage alone with --help or -h', () => {
    expect(refusal('--help')).toBe('');
    expect(refusal('run.json', '-h')).toBe('');
  });
});
