/**
 * The page's frame budget, measured in headless Chromium (`npx tsx src/bench/page-frames.ts`).
 * Builds the site, serves it with `vite preview` on a free port, opens a 25-node scenario
 * of every kind at the default speed with messages in flight, and for about ten
 * seconds records the main thread's frame times (requestAnimationFrame deltas) and its longest
 * task (PerformanceObserver 'longtask'). One line per figure; numbers are read by people.
 * The server is always killed, whatever happens.
 */
import { chromium } from '@playwright/test';
import { encodeScenarioHash } from '../sim';
import { BENCH_NODES, BENCH_SCENARIO } from './bench-scenario';
import { BROWSER_ARGS, systemChromium, withBuiltSite } from './preview';

const MEASURE_MS = 10_000;
const NODES = BENCH_NODES;
const SCENARIO = BENCH_SCENARIO;

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
  await withBuiltSite(async (baseUrl) => {
    const result = await measure(baseUrl);
    const sorted = [...result.deltas].sort((a, b) => a - b);
    const label = `page frames (${NODES} nodes, ~${result.messagesMean.toFixed(0)} messages drawn)`;
    console.log(`${label}: median ${quantile(sorted, 0.5).toFixed(1)} ms, p95 ${quantile(sorted, 0.95).toFixed(1)} ms over ${sorted.length} frames`);
    const longest = result.longTasks > 0 ? `${result.longestTaskMs.toFixed(0)} ms (${result.longTasks} tasks over 50 ms)` : 'none over 50 ms (the longtask API reports only those)';
    console.log(`${label}: longest task ${longest}; longest frame ${sorted[sorted.length - 1]!.toFixed(1)} ms`);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
