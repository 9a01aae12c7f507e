// Not a check: with LESSON_SHOTS=1 it saves a screenshot of every bundled lesson at its key
// moment (opened paused there with &t=) at the four sizes the page is made for (a 1366×768 laptop,
// presenter mode at 1920×1080, a 390×844 phone, a 640 px embed), and at 1366×768 one more at each
// lesson step that has a time (a little after it, where its event shows), into LESSON_SHOTS_DIR
// (default /tmp/shots-page), for a person to look at. LESSON_SHOTS_ONLY=id,id limits it to those
// lessons. Skipped otherwise, so the suite does not pay for it.
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { waitForFit } from './stage-measure';

const DIR = process.env.LESSON_SHOTS_DIR ?? '/tmp/shots-page';
const ONLY = process.env.LESSON_SHOTS_ONLY?.split(',');
const SCENARIO_DIR = new URL('../../public/scenarios/', import.meta.url);

interface Lesson {
  readonly id: string;
  readonly momentMs: number;
  /** Its timed steps (by their number in the lesson), each a little after its time so that its event has happened. */
  readonly steps: readonly { readonly n: number; readonly atMs: number }[];
}

/** The key moment: a little after the last scripted event (the climax), or 3 s in. */
const LESSONS: readonly Lesson[] = (JSON.parse(readFileSync(new URL('index.json', SCENARIO_DIR), 'utf8')) as { id: string }[])
  .filter(({ id }) => !ONLY || ONLY.includes(id))
  .map(({ id }) => {
    const scenario = JSON.parse(readFileSync(new URL(`${id}.json`, SCENARIO_DIR), 'utf8')) as {
      durationMs: number;
      events: { atMs: number }[];
      steps?: { atMs?: number }[];
    };
    const last = Math.max(0, ...scenario.events.map((e) => e.atMs));
    const steps = (scenario.steps ?? []).flatMap((s, i) => (s.atMs === undefined ? [] : [{ n: i + 1, atMs: Math.min(scenario.durationMs - 1, s.atMs + 300) }]));
    return { id, momentMs: Math.min(scenario.durationMs - 1, last === 0 ? 3000 : last + 2500), steps };
  });

const SIZES = [
  { name: 'laptop', width: 1366, height: 768, search: '', presenter: false },
  { name: 'phone', width: 390, height: 844, search: '', presenter: false },
  { name: 'embed', width: 640, height: 900, search: '?embed=1', presenter: false },
  { name: 'presenter', width: 1920, height: 1080, search: '', presenter: true },
] as const;

async function openAt(page: Page, id: string, atMs: number, search: string): Promise<void> {
  await page.goto(`./${search}#preset=${id}&t=${atMs}`);
  await expect(page.locator('output[aria-label="Simulated time"]')).toHaveText(`${(atMs / 1000).toFixed(3)} s`);
  await waitForFit(page);
}

test.describe('lesson screenshots', () => {
  test.skip(!process.env.LESSON_SHOTS, 'set LESSON_SHOTS=1 to write them');
  test.setTimeout(240_000);
  mkdirSync(DIR, { recursive: true });
  for (const lesson of LESSONS) {
    test(lesson.id, async ({ page }) => {
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await openAt(page, lesson.id, lesson.momentMs, size.search);
        if (size.presenter) {
          await page.keyboard.press('f');
          await expect(page.locator('.app.presenter')).toBeVisible();
          await waitForFit(page);
        }
        await page.screenshot({ path: `${DIR}/${lesson.id}-${size.name}.png`, fullPage: size.name === 'phone' });
        if (size.presenter) await page.keyboard.press('Escape');
      }
      await page.setViewportSize({ width: 1366, height: 768 });
      for (const { n, atMs } of lesson.steps) {
        await openAt(page, lesson.id, atMs, '');
        await page.screenshot({ path: `${DIR}/${lesson.id}-laptop-step${n}-${atMs}.png` });
      }
    });
  }
});
