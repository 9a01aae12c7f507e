/** Runs the `npm run sim` command line in-process, capturing what it prints and its exit status. */
import { runCli } from '../../src/cli/main';

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function simInProcess(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { out: (text) => (stdout += text), err: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

/** Control characters a terminal would obey (line breaks and tabs excepted). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** A JavaScript stack frame, as a crash prints it. */
export const STACK_FRAME = /\n\s+at .+:\d+/;
