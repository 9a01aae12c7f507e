// Holds an embed to its download budget: everything an article's reader fetches for one embed
// (the page's chunks, those loaded after the first render, and the simulation worker), gzip as a
// web server sends it, is at most 200 kB. Sizes, not timings: the same build gives the same bytes.
import { expect, test } from '@playwright/test';
import { EMBED_JS_BUDGET_BYTES, recordScripts, scriptsLine, totalBytes } from '../../src/bench/script-sizes';

test('an embedded lesson loads at most 200 kB of gzipped JavaScript, its worker included', async ({ page }) => {
  await page.setViewportSize({ width: 640, height: 900 });
  const scripts = recordScripts(page);
  await page.goto('./?embed=1#preset=failover-split-brain');
  // The worker has answered (nodes are drawn) and the lesson card is shown: everything the
  // embed loads on its own has been asked for; then the network falls quiet.
  await expect(page.locator('[data-node-id]').first()).toBeVisible();
  await expect(page.locator('section.lesson[data-step]')).toBeVisible();
  await page.waitForLoadState('networkidle');
  const loaded = await scripts();
  test.info().annotations.push({ type: 'embed JavaScript', description: scriptsLine('loaded', loaded) });
  expect(loaded.some((s) => s.name.startsWith('sim.worker')), 'the worker script is counted').toBe(true);
  expect(totalBytes(loaded), scriptsLine('embed JavaScript loaded', loaded)).toBeLessThanOrEqual(EMBED_JS_BUDGET_BYTES);
});

test('without Motion, an embed draws every node and role word at its settled look, not the pose an animation starts from', async ({ page }) => {
  await page.setViewportSize({ width: 640, height: 900 });
  await page.goto('./?embed=1#preset=raft-basics&t=4000');
  await expect(page.locator('[data-role="leader"]')).toHaveCount(1);
  const looks = await page.locator('[data-node-id]').evaluateAll((nodes) =>
    nodes.map((node) => {
      const word = node.querySelector('.sim-node-role');
      const style = (el: Element) => getComputedStyle(el);
      return { node: [style(node).opacity, style(node).transform], word: word ? [style(word).opacity, style(word).transform] : null };
    }),
  );
  expect(looks.length).toBeGreaterThan(0);
  for (const look of looks) {
    expect(look.node).toEqual(['1', 'none']);
    expect(look.word).toEqual(['1', 'none']);
  }
});
