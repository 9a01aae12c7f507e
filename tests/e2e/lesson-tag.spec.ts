// Proves the "this step" tag on the node a lesson step points at is whole and readable: inside the
// graph's region (a node in the top row used to have it cut off by the graph's edge), drawn over
// its neighbours rather than under them (only a message in flight passes over it), and clear of a
// data centre's Black out switch.
import { expect, test, type Page } from '@playwright/test';
import { waitForFit } from './stage-measure';

async function tagProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const tag = document.querySelector('.lesson-ring-tag');
    if (!tag) return ['no tag'];
    const b = tag.getBoundingClientRect();
    const flow = document.querySelector('.react-flow')!.getBoundingClientRect();
    const problems: string[] = [];
    if (b.top < flow.top || b.left < flow.left || b.right > flow.right || b.bottom > flow.bottom) problems.push('cut off by the graph’s edge');
    // The ring lets clicks through; for this look only, the tag takes them, so that the hit test finds it where it is on top.
    (tag as HTMLElement).style.pointerEvents = 'auto';
    for (const x of [b.left + 2, b.left + b.width / 2, b.right - 2]) {
      const top = document.elementFromPoint(x, b.top + b.height / 2);
      // A message in flight is drawn above everything on purpose: passing over the tag is not covering it.
      if (!top || !(tag.contains(top) || top.closest('[data-message]'))) problems.push(`covered by ${String(top?.getAttribute('class') ?? 'nothing')}`);
    }
    (tag as HTMLElement).style.pointerEvents = '';
    for (const button of document.querySelectorAll('.region-header button')) {
      const r = button.getBoundingClientRect();
      if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) problems.push(`over ${button.textContent}`);
    }
    return problems;
  });
}

const CASES = [
  // The new leader, in the top row of three, at 1366×768 and in a 640 px embed (whose graph is fitted by its height).
  { name: 'a top-row leader in the page', path: './#preset=raft-basics&t=7400', width: 1366, height: 768, node: '[data-role="leader"]' },
  { name: 'a top-row leader in an embed', path: './?embed=1#preset=raft-basics&t=7400', width: 640, height: 900, node: '[data-role="leader"]' },
  // The promoted standby, first in its data centre, in a 640 px embed.
  { name: 'a node in a data centre in an embed', path: './?embed=1#preset=db-async-disk-failure&t=15500', width: 640, height: 900, node: '[data-node-id="db-2"]' },
] as const;

for (const c of CASES) {
  test(`the "this step" tag is whole and on top: ${c.name}`, async ({ page }) => {
    await page.setViewportSize({ width: c.width, height: c.height });
    await page.goto(c.path);
    await waitForFit(page);
    await expect(page.locator(`${c.node}.is-lesson-target .lesson-ring-tag`)).toBeVisible();
    await expect.poll(() => tagProblems(page)).toEqual([]);
  });
}
