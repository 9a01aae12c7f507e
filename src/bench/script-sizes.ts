/**
 * The JavaScript a page loads, as its reader downloads it: every script response (module chunks
 * and worker scripts alike), gzip-compressed as a web server would send it. Shared by the embed
 * benchmark, which prints it, and the end-to-end test that holds the embed to its budget.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';

export interface ScriptSize {
  /** The file name, like `index-D7k-Ne96.js`. */
  readonly name: string;
  readonly gzipBytes: number;
}

/** The embed's budget: what an article's reader downloads for one embed, gzip. */
export const EMBED_JS_BUDGET_BYTES = 200_000;

/** Starts recording `page`'s script responses; the function returned gives those seen so far. */
export function recordScripts(page: Page): () => Promise<ScriptSize[]> {
  const pending: Promise<ScriptSize | null>[] = [];
  const onResponse = (response: import('@playwright/test').Response) => {
    const path = new URL(response.url()).pathname;
    if (!path.endsWith('.js')) return;
    pending.push(response.body().then((body) => ({ name: path.split('/').pop()!, gzipBytes: gzipSync(body).length }), () => null));
  };
  page.on('response', onResponse);
  // Worker scripts are responses of the page too.
  return async () => (await Promise.all(pending)).filter((s): s is ScriptSize => s !== null);
}

export function totalBytes(scripts: readonly ScriptSize[]): number {
  return scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
}

export function kB(bytes: number): string {
  return (bytes / 1000).toFixed(1);
}

/** `label: 243.0 kB gzip in 6 files (a.js 80.1, …)`. */
export function scriptsLine(label: string, scripts: readonly ScriptSize[]): string {
  const files = scripts.map((s) => `${s.name} ${kB(s.gzipBytes)}`).join(', ');
  return `${label}: ${kB(totalBytes(scripts))} kB gzip in ${scripts.length} files (${files})`;
}
