/**
 * The page's frame budget, measured in headless Chromium (`npx tsx src/bench/page-frames.ts`).
 * Builds the site, serves it with `vite preview` on a free port, opens a 25-node scenario
 * of every kind at the default speed with messages in flight, and for about ten
 * seconds records the main thread's frame times (requestAnimationFrame deltas) and its longest
 * task (PerformanceObserver 'longtask'). One line per figure; numbers are read by people.
 * The server is always killed, whatever happens.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium } from '@playwright/test';
import { encodeScenarioHash } from '../sim/scenario/url';

const MEASURE_MS = 10_000;
/** 5 orchestrators, lb, 14 API servers, a primary with 2 standbys (one in the DR region), 2 backup stores: 25 nodes. */
const NODES = 25;
const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Every kind of node, with writes flowing through the load balancer and proposals to the orchestrators, so messages are always on the wire. */
const SCENARIO = {
  version: 1,
  title: `bench: ${NODES} nodes, writes and proposals flowing`,
  seed: 7,
  durationMs: 600_000,
  topology: {
    orchestrators: 5,
    election: 'raft',
    servers: 14,
    database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }] },
    backups: { incrementalEveryMs: 60_000, fullEveryMs: 600_000, offsite: true },
  },
  workload: { writesPerSec: 20, proposalsPerSec: 5 },
  events: [],
};

/**
 * Runs in the page, as a string so that no helper the TypeScript loader adds to compiled
 * functions has to exist there. Resolves with the frame deltas, the longest task and how many
 * messages were drawn on average.
 */
const MEASURE_IN_PAGE = `(async (durationMs) => {
  let longestTaskMs = 0;
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) { longTasks++; longestTaskMs = Math.max(longestTaskMs, entry.duration); }
  });
  observer.observe({ type: 'longtask' });
  const deltas = [];
  let messageSamples = 0;
  let messagesSum = 0;
  await new Promise((resolve) => {
    requestAnimationFrame((start) => {
      let last = start;
      const loop = (t) => {
        deltas.push(t - last);
        last = t;
        if (deltas.length % 15 === 0) { messagesSum += document.querySelectorAll('[data-message]').length; messageSamples++; }
        if (t - start < durationMs) requestAnimationFrame(loop); else resolve();
      };
      requestAnimationFrame(loop);
    });
  });
  observer.disconnect();
  return { deltas, longestTaskMs, longTasks, messagesMean: messageSamples ? messagesSum / messageSamples : 0 };
})(${MEASURE_MS})`;

interface Measured {
  deltas: number[];
  longestTaskMs: number;
  longTasks: number;
  messagesMean: number;
}

function systemChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path): path is string => !!path && existsSync(path));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the preview server did not answer at ${url} within ${timeoutMs} ms`);
}

/** Kills the server and everything it started (it runs in a process group of its own). */
function stopServer(server: ChildProcess): void {
  if (server.pid === undefined || server.exitCode !== null) return;
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    server.kill('SIGTERM');
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(baseUrl: string): Promise<Measured> {
  const executablePath = systemChromium();
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: BROWSER_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/#${encodeScenarioHash(SCENARIO)}`);
    await page.locator('[data-node-id]').nth(NODES - 1).waitFor();
    await page.locator('[data-role="leader"]').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000); // proposals start flowing to the new leader
    return (await page.evaluate(MEASURE_IN_PAGE)) as Measured;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const port = await freePort();
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
  const stop = () => stopServer(server);
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForServer(baseUrl, 60_000);
    const result = await measure(baseUrl);
    const sorted = [...result.deltas].sort((a, b) => a - b);
    const label = `page frames (${NODES} nodes, ~${result.messagesMean.toFixed(0)} messages drawn)`;
    console.log(`${label}: median ${quantile(sorted, 0.5).toFixed(1)} ms, p95 ${quantile(sorted, 0.95).toFixed(1)} ms over ${sorted.length} frames`);
    const longest = result.longTasks > 0 ? `${result.longestTaskMs.toFixed(0)} ms (${result.longTasks} tasks over 50 ms)` : 'none over 50 ms (the longtask API reports only those)';
    console.log(`${label}: longest task ${longest}; longest frame ${sorted[sorted.length - 1]!.toFixed(1)} ms`);
  } finally {
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
