/**
 * What an embedded scenario costs a blog's reader (`npx tsx src/bench/embed.ts`), in headless
 * Chromium against the built site: the first meaningful render (from navigation to the frame that
 * draws the first node of `/?embed=1#preset=…`, cold cache, a fresh browser context per load) and
 * the JavaScript the embed actually loads (every script response, the worker included), gzip-
 * compressed as a web server would send it. Targets: under 1 s and under 200 kB. The full
 * playground page's JavaScript is printed beside it for comparison. Numbers are read by people:
 * the machine is shared and the local server has no network latency.
 */
import { chromium, type Browser } from '@playwright/test';
import { BROWSER_ARGS, systemChromium, withBuiltSite } from './preview';
import { EMBED_JS_BUDGET_BYTES, recordScripts, scriptsLine, type ScriptSize } from './script-sizes';

const EMBED_PATH = '/?embed=1#preset=failover-split-brain';
const PLAYGROUND_PATH = '/#preset=failover-split-brain';
const LOADS = 5;
const TARGET_RENDER_MS = 1000;

/**
 * Runs in the page before its own scripts, as a string so that no helper the TypeScript loader
 * adds has to exist there: notes the time (since navigation) of the animation frame that first
 * has a node with a size on screen.
 */
const WATCH_FIRST_NODE = `(() => {
  const check = () => {
    const node = document.querySelector('[data-node-id]');
    if (!node || node.getBoundingClientRect().width === 0) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstNodeMs = performance.now(); });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})()`;

interface Load {
  readonly firstNodeMs: number;
  /** Every script the page loaded: its file name and gzip size in bytes. */
  readonly scripts: readonly ScriptSize[];
}

async function loadOnce(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 700, height: 900 } });
  try {
    const page = await context.newPage();
    const scripts = recordScripts(page);
    await page.addInitScript(WATCH_FIRST_NODE);
    await page.goto(url);
    const firstNodeMs = Number(await (await page.waitForFunction('window.__firstNodeMs', undefined, { timeout: 30_000 })).jsonValue());
    await page.waitForLoadState('networkidle');
    return { firstNodeMs, scripts: await scripts() };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  await withBuiltSite(async (baseUrl) => {
    const executablePath = systemChromium();
    const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: BROWSER_ARGS });
    try {
      await loadOnce(browser, `${baseUrl}${EMBED_PATH}`); // warm the server and the disk cache, not the browser's
      const loads: Load[] = [];
      for (let i = 0; i < LOADS; i++) loads.push(await loadOnce(browser, `${baseUrl}${EMBED_PATH}`));
      const times = loads.map((l) => l.firstNodeMs).sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)]!;
      console.log(
        `embed first meaningful render (first node drawn, ${EMBED_PATH}, headless Chromium, cold cache, local server): median ${median.toFixed(0)} ms over ${LOADS} loads ` +
          `(min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)}); target under ${TARGET_RENDER_MS} ms`,
      );
      console.log(`${scriptsLine('embed JavaScript loaded', loads[0]!.scripts)}; budget ${EMBED_JS_BUDGET_BYTES / 1000} kB (held by tests/e2e/embed-size.spec.ts)`);
      console.log(scriptsLine('playground page JavaScript loaded, for comparison', (await loadOnce(browser, `${baseUrl}${PLAYGROUND_PATH}`)).scripts));
    } finally {
      await browser.close();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
