// Proves the gallery reads as a course kept in this browser: numbered sections in the article's order with numbered lessons and a course progress bar; a lesson whose last step is reached shows as finished in the gallery after a reload, and the course bar counts it; "Reset progress" (confirmed) forgets it; a prediction made is counted with whether it held; an embed of a lesson never writes the reader's course progress.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ARTICLE_SECTIONS } from '../support/article-sections';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots';
const COURSE_KEY = 'ha-playground:course:v1';

function gallery(page: Page) {
  return page.getByRole('dialog', { name: 'Lessons' });
}

function card(page: Page, id: string) {
  return gallery(page).locator(`.gallery-section:not([aria-label]) [data-preset="${id}"]`);
}

/** A fresh browser for this test: storage cleared once, before the first page, never on a reload. */
async function freshBrowser(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('course-test-cleared')) return;
    localStorage.clear();
    sessionStorage.setItem('course-test-cleared', '1');
  });
}

/** Presses Next until the lesson card shows its last step. */
async function finishLesson(page: Page): Promise<void> {
  const region = page.getByRole('region', { name: /^Step \d+ of \d+$/ });
  await expect(region).toBeVisible();
  const total = Number(await region.getAttribute('data-steps'));
  for (let step = Number(await region.getAttribute('data-step')); step < total; step++) {
    await region.getByRole('button', { name: 'Next' }).click();
    await expect(region).toHaveAttribute('data-step', String(step + 1));
  }
}

test('the gallery is a course: numbered sections, finished lessons kept across a reload, and a reset', async ({ page }) => {
  await freshBrowser(page);
  await page.goto('./');
  await expect(gallery(page)).toBeVisible();
  // The course order: the article's sections, numbered, each lesson numbered within its section.
  const headings = gallery(page).getByRole('heading', { level: 3 });
  await expect(headings).toHaveText(ARTICLE_SECTIONS);
  await expect(headings.first()).toHaveAttribute('data-number', '1');
  await expect(headings.last()).toHaveAttribute('data-number', String(ARTICLE_SECTIONS.length));
  await expect(card(page, 'stateless-vs-stateful').locator('.gallery-number')).toHaveText('1.1');
  await expect(card(page, 'backup-restore').locator('.gallery-number')).toHaveText('2.1');
  await expect(card(page, 'combined-setup').locator('.gallery-number')).toHaveText('9.1');
  await expect(gallery(page).getByRole('region', { name: 'Start here' }).locator('[data-preset]')).toHaveAttribute('data-preset', 'stateless-vs-stateful');
  const total = await gallery(page).locator('.gallery-section:not([aria-label]) .gallery-card').count();
  await expect(gallery(page).getByText(`Course: 0 of ${total} lessons finished`)).toBeVisible();
  await expect(gallery(page).getByRole('button', { name: 'Reset progress' })).toHaveCount(0);
  await expect(card(page, 'raft-prevote')).toHaveAttribute('data-finished', 'false');

  mkdirSync(DIR, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: `${DIR}/course-fresh-1366.png` });

  // Open a lesson from its card and follow it to its last step.
  await card(page, 'raft-prevote').click();
  await expect(gallery(page)).toBeHidden();
  await expect(page).toHaveURL(/#preset=raft-prevote$/);
  await finishLesson(page);

  await page.reload();
  await page.locator('.toolbar').getByRole('button', { name: 'Lessons…' }).click();
  await expect(gallery(page)).toBeVisible();
  await expect(card(page, 'raft-prevote')).toHaveAttribute('data-finished', 'true');
  await expect(card(page, 'raft-prevote')).toContainText('✓ Finished');
  await expect(gallery(page).getByText(`Course: 1 of ${total} lessons finished`)).toBeVisible();
  await expect(gallery(page).getByRole('progressbar')).toHaveAttribute('value', '1');
  // With a lesson finished, the top card is the first unfinished one in course order.
  await expect(gallery(page).getByRole('region', { name: 'Next in the course' }).locator('[data-preset]')).toHaveAttribute('data-preset', 'stateless-vs-stateful');

  await page.screenshot({ path: `${DIR}/course-progress-1366.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${DIR}/course-progress-390.png` });
  await gallery(page).evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.screenshot({ path: `${DIR}/course-progress-390-end.png` });
  await gallery(page).evaluate((el) => el.scrollTo(0, 0));

  // Reset asks first: dismissed, nothing is forgotten; accepted, the course starts afresh, after a reload too.
  page.once('dialog', (dialog) => void dialog.dismiss());
  await gallery(page).getByRole('button', { name: 'Reset progress' }).click();
  await expect(card(page, 'raft-prevote')).toHaveAttribute('data-finished', 'true');
  page.once('dialog', (dialog) => void dialog.accept());
  await gallery(page).getByRole('button', { name: 'Reset progress' }).click();
  await expect(card(page, 'raft-prevote')).toHaveAttribute('data-finished', 'false');
  await expect(gallery(page).getByText(`Course: 0 of ${total} lessons finished`)).toBeVisible();
  await page.reload();
  await page.locator('.toolbar').getByRole('button', { name: 'Lessons…' }).click();
  await expect(card(page, 'raft-prevote')).toHaveAttribute('data-finished', 'false');
  expect(await page.evaluate((key) => localStorage.getItem(key), COURSE_KEY)).toBeNull();
});

test('an embedded lesson finished never touches the reader’s course progress', async ({ page }) => {
  await page.goto('./');
  await page.evaluate((key) => {
    localStorage.clear();
    localStorage.setItem(key, JSON.stringify({ 'raft-basics': { finished: true, predictions: {} } }));
  }, COURSE_KEY);
  await page.goto('./?embed=1#preset=raft-prevote');
  await finishLesson(page);
  // The finish is noted once the lesson list is read: let that fetch settle before leaving.
  await page.waitForLoadState('networkidle');
  await page.goto('./');
  const kept = await page.evaluate((key) => localStorage.getItem(key), COURSE_KEY);
  expect(JSON.parse(kept ?? 'null')).toEqual({ 'raft-basics': { finished: true, predictions: {} } });
});

test('a prediction made in a lesson is counted in the gallery, with whether it held', async ({ page }) => {
  await freshBrowser(page);
  // Opened at a moment inside the split-brain lesson's question step.
  await page.goto('./#preset=failover-split-brain&t=11500');
  const region = page.getByRole('region', { name: /^Step \d+ of \d+$/ });
  await expect(region.getByText('Once the orchestrators promote db-2, how many nodes take writes?')).toBeVisible();
  await region.getByRole('button', { name: 'Two: db-1 goes on beside db-2' }).click();
  // The clock passes the step's end: the answer is revealed on the run.
  await page.getByRole('slider', { name: 'Time' }).fill('12700');
  await expect(region.getByText('Your prediction held.')).toBeVisible();
  await page.locator('.toolbar').getByRole('button', { name: 'Lessons…' }).click();
  await expect(card(page, 'failover-split-brain')).toContainText('1 prediction, 1 held');
  await expect(gallery(page).getByText(/predictions?, 1 held/).first()).toBeVisible();
  await page.reload();
  await page.locator('.toolbar').getByRole('button', { name: 'Lessons…' }).click();
  await expect(card(page, 'failover-split-brain')).toContainText('1 prediction, 1 held');
});
