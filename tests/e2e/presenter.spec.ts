// Proves presenter mode works from the keyboard alone: `f` enters it (large type, high contrast, the graph, the clock, the step and a key legend), Space plays and pauses, `.` steps, `s` picks the step's node, `c` crashes it and the lesson moves on, → and ← walk the steps, the mode survives a reload, and Esc leaves it.
import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { clock, node, openQuietCluster, waitForLeader } from './helpers';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots';

function stepHeading(page: Page): Locator {
  return page.getByRole('region', { name: /^Step \d+ of \d+$/ }).getByRole('heading');
}

/** WCAG contrast ratio of two CSS `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The colour of the first ancestor (or self) with an opaque background. */
async function backgroundOf(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    for (let e: Element | null = element; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
    }
    return 'rgb(255, 255, 255)';
  });
}

async function expectReadable(locator: Locator, minPx: number): Promise<void> {
  // The element may appear before presenter mode's style reaches it: wait for the size, never read it once.
  await expect.poll(() => locator.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(minPx);
  const color = await locator.evaluate((e) => getComputedStyle(e).color);
  expect(contrast(color, await backgroundOf(locator))).toBeGreaterThanOrEqual(7);
}

async function openHandsOn(page: Page): Promise<void> {
  await page.goto('./#preset=raft-hands-on');
  await expect(stepHeading(page)).toHaveText('Step 1 of 7');
  await page.getByRole('slider', { name: 'Speed' }).fill('0'); // 1×: an election within a couple of seconds
  await page.getByRole('button', { name: 'Play' }).click(); // a lesson opens paused on its first step
}

test('presenter mode by keyboard: enter, play, step, pick, crash, walk the lesson, reload, leave', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openHandsOn(page);
  await page.keyboard.press('f');
  const presenter = page.locator('.app.presenter[data-presenter="on"]');
  await expect(presenter).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy link' })).toHaveCount(0); // the toolbar is gone
  await expect(page.getByRole('contentinfo', { name: 'Keys' })).toContainText('Esc');

  // Large type and high contrast: the step's text, the clock, the title.
  await expectReadable(page.locator('.lesson-text p').first(), 24);
  await expectReadable(page.getByLabel('Simulated time'), 30);
  await expectReadable(page.locator('.presenter-title'), 18);

  // Space pauses and plays; "." steps while paused.
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  const before = await clock(page);
  await page.keyboard.press('.');
  await expect.poll(() => clock(page)).not.toBe(before);
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');

  // The lesson: at the crash step, s picks the ringed leader, c crashes it, and the lesson moves on.
  // The clock takes the lesson to the crash step by itself (at 2.5 s); → and ← are walked below.
  const first = await waitForLeader(page);
  // The clock enters the crash step by itself at 2.5 s; on a slow machine it may already have.
  if ((await stepHeading(page).textContent()) === 'Step 1 of 7') await page.keyboard.press('ArrowRight');
  await expect(stepHeading(page)).toHaveText('Step 2 of 7');
  await expect(node(page, first.id)).toHaveClass(/is-lesson-target/);
  await page.keyboard.press('s');
  await expect(page.getByRole('region', { name: `Selected node ${first.id}` })).toBeVisible();
  await page.keyboard.press('c');
  await expect(node(page, first.id)).toHaveAttribute('data-role', 'down');
  await expect(stepHeading(page)).toHaveText('Step 3 of 7');
  await page.keyboard.press('ArrowLeft');
  await expect(stepHeading(page)).toHaveText('Step 2 of 7');
  await page.keyboard.press('ArrowRight');
  await expect(stepHeading(page)).toHaveText('Step 3 of 7');

  // 1–9 picks orch-N.
  await page.keyboard.press('2');
  await expect(page.getByRole('region', { name: 'Selected node orch-2' })).toBeVisible();

  // After a mouse click on Next, Space still pauses: the clicked button does not keep the focus.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(stepHeading(page)).toHaveText('Step 4 of 7');
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect(stepHeading(page)).toHaveText('Step 4 of 7');

  await page.reload();
  await expect(presenter).toBeVisible();
  await expect(stepHeading(page)).toHaveText('Step 4 of 7');

  await page.keyboard.press('Escape');
  await expect(presenter).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Presenter mode' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Presenter mode' })).toBeVisible();
});

test('the Presenter mode button enters it too; a scenario without steps shows the latest event instead', async ({ page }) => {
  await openQuietCluster(page);
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page.locator('.app.presenter')).toBeVisible();
  await expect(page.getByRole('region', { name: /^Step / })).toHaveCount(0);
  await expect(page.locator('.presenter .announcer')).toBeVisible();
  await page.getByRole('button', { name: /Leave presenter mode/ }).click();
  await expect(page.locator('.app.presenter')).toHaveCount(0);
});

test('screenshots of presenter mode at 1920×1080 and 1280×720', async ({ page }) => {
  mkdirSync(DIR, { recursive: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./#preset=combined-setup&t=38500');
  await expect(page.locator('[data-node-id="db-2"]')).toHaveAttribute('data-role', 'primary');
  await page.keyboard.press('f');
  await expect(page.locator('.app.presenter')).toBeVisible();
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${DIR}/presenter-1920.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${DIR}/presenter-1280.png` });
  await page.goto('./#preset=raft-basics&t=6500');
  await expect(page.locator('.app.presenter')).toBeVisible();
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${DIR}/presenter-1280-raft.png` });
});
