// Proves nothing on a 390×844 phone sticks out sideways: for every bundled scenario, every lesson
// step (sought to its time, paused, or reached with Next when it has none) and the end of the run
// (the summary) leave the document no wider than the window, so the page never scrolls sideways.
// One page walks all of them, switching scenarios by link, so the walk stays quick.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const SCENARIO_DIR = new URL('../../public/scenarios/', import.meta.url);

interface Lesson {
  readonly id: string;
  readonly durationMs: number;
  readonly steps: readonly { readonly atMs?: number }[];
}

const LESSONS: readonly Lesson[] = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => {
    const scenario = JSON.parse(readFileSync(new URL(f, SCENARIO_DIR), 'utf8')) as { durationMs: number; steps?: { atMs?: number }[] };
    return { id: f.replace(/\.json$/, ''), durationMs: scenario.durationMs, steps: scenario.steps ?? [] };
  })
  .filter((lesson) => lesson.steps.length > 0);

const clock = (page: Page) => page.locator('output[aria-label="Simulated time"]');
const seconds = (atMs: number) => `${(atMs / 1000).toFixed(3)} s`;

/** Seeks with the Time slider, as a learner would, and waits until the clock shows it. */
async function seek(page: Page, atMs: number): Promise<void> {
  await page.getByRole('slider', { name: 'Time' }).fill(String(atMs));
  await expect(clock(page)).toHaveText(seconds(atMs));
}

/** The document's width against the window's, and the widest thing past the window's right edge. */
async function sideways(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string }> {
  return page.evaluate(() => {
    let widest = '';
    let right = innerWidth;
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > right + 1 && !e.closest('.react-flow')) {
        right = r.right;
        widest = `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} to ${Math.round(r.right)} px`;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, widest };
  });
}

test('a 390×844 phone: no lesson step of any bundled scenario makes the page wider than the window', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(LESSONS.length, 'bundled lessons to walk').toBeGreaterThan(20);
  const lesson = page.locator('section.lesson');
  for (const { id, durationMs, steps } of LESSONS) {
    await page.goto(`./#preset=${id}&t=0`);
    await expect(clock(page)).toHaveText(seconds(0));
    await expect(page.locator('[data-node-id]').first()).toBeVisible();
    for (const [i, step] of steps.entries()) {
      if (i > 0 && step.atMs !== undefined) await seek(page, step.atMs);
      else if (i > 0) await page.getByRole('button', { name: 'Next' }).click();
      await expect(lesson, `${id}: step ${i + 1}`).toHaveAttribute('data-step', String(i + 1));
      const measured = await sideways(page);
      expect(measured.scrollWidth, `${id} step ${i + 1}: the page is wider than the phone (${measured.widest})`).toBeLessThanOrEqual(measured.innerWidth);
    }
    // The end of the run, where the last step shows the lesson's summary.
    await seek(page, durationMs);
    const measured = await sideways(page);
    expect(measured.scrollWidth, `${id} at its end: the page is wider than the phone (${measured.widest})`).toBeLessThanOrEqual(measured.innerWidth);
  }
});
