// Proves the lesson card matches the moment on screen when the learner did not walk there: a link
// at 20 s into backup-restore shows the step of that moment and says the step began at 0 s (so its
// "Press Play" is not read as the run's start), a seek says the same of the step it lands in, a
// link carrying the learner's clicks counts them (no "crash the leader" after the crash), on
// opening and when a seek crosses them, and a link opened at a lesson's end does not count the
// lesson finished until the learner plays on.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { linkTo } from './helpers';

const card = (page: Page) => page.locator('section.lesson[data-step]');

async function openAt(page: Page, path: string, seconds: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByLabel('Simulated time', { exact: true })).toHaveText(seconds);
  await expect(card(page)).toBeVisible();
}

for (const [where, search] of [
  ['the page', ''],
  ['an embed', '?embed=1'],
] as const) {
  test(`${where} opened at 20 s into backup-restore shows step 1 as joined part-way, not as the run's start`, async ({ page }) => {
    await openAt(page, `./${search}#preset=backup-restore&t=20000`, '20.000 s');
    // Steps 2 to 7 tell of 40.4 s and later: at 20 s, step 1 is the step of the moment.
    await expect(card(page)).toHaveAttribute('data-step', '1');
    await expect(card(page)).toContainText('You joined at 20.000 s, part-way through this step (it began at the start of the run)');
    await expect(card(page)).toContainText('Moves on at 40.500 s on the clock');
  });
}

test('a seek lands on the step of the moment and says when that step began; at its start it says nothing', async ({ page }) => {
  await openAt(page, './#preset=backup-restore&t=20000', '20.000 s');
  const time = page.getByRole('slider', { name: 'Time' });
  await time.fill('46000');
  await expect(card(page)).toHaveAttribute('data-step', '4');
  await expect(card(page)).toContainText('You joined at 46.000 s, part-way through this step (it began at 45.100 s)');
  await time.fill('41000');
  await expect(card(page)).toHaveAttribute('data-step', '2');
  await expect(card(page)).toContainText('You joined at 41.000 s, part-way through this step (it began at 40.500 s)');
  await time.fill('0');
  await expect(card(page)).toHaveAttribute('data-step', '1');
  await expect(card(page).locator('.lesson-joined')).toHaveCount(0);
});

test('a link carrying the learner’s crash and restart opens past the steps they completed, on the one that still waits', async ({ page }) => {
  const lesson = JSON.parse(readFileSync('public/scenarios/raft-hands-on.json', 'utf8')) as { events: object[] };
  // Steps: 2 crash the leader (from 2.5 s), 3 restart it, 4 crash the new leader.
  const clicked = { ...lesson, events: [{ atMs: 3000, do: 'crash', node: '@leader' }, { atMs: 6000, do: 'restart', node: '@last-crashed' }] };
  await openAt(page, linkTo(clicked, 20_000), '20.000 s');
  await expect(card(page)).toHaveAttribute('data-step', '4');
  await expect(card(page)).toContainText('Moves on when you use Crash');
  // It waits for the learner: nothing it asks for has happened, so it is not "joined part-way".
  await expect(card(page).locator('.lesson-joined')).toHaveCount(0);
});

test('the same link opened at 2.6 s and sought forward counts the clicks the seek crosses, as opening it there does', async ({ page }) => {
  const lesson = JSON.parse(readFileSync('public/scenarios/raft-hands-on.json', 'utf8')) as { events: object[] };
  const clicked = { ...lesson, events: [{ atMs: 3000, do: 'crash', node: '@leader' }, { atMs: 6000, do: 'restart', node: '@last-crashed' }] };
  await openAt(page, linkTo(clicked, 2_600), '2.600 s');
  await expect(card(page)).toHaveAttribute('data-step', '2');
  const time = page.getByRole('slider', { name: 'Time' });
  await time.fill('4000');
  await expect(card(page)).toHaveAttribute('data-step', '3');
  await time.fill('20000');
  await expect(card(page)).toHaveAttribute('data-step', '4');
  await expect(card(page)).toContainText('Moves on when you use Crash');
});

test('a link at a lesson’s end does not count the lesson finished until the learner plays on', async ({ page }) => {
  const course = () => page.evaluate(() => localStorage.getItem('ha-playground:course:v1') ?? '');
  await openAt(page, './#preset=backup-restore&t=60000', '60.000 s');
  await expect(card(page)).toHaveAttribute('data-step', '7');
  await page.waitForTimeout(1000); // the course is noted asynchronously (it looks the lesson up in the index)
  expect(await course()).not.toContain('backup-restore');

  // Playing on from the link's moment is the learner's own: the last step now counts.
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(course).toContain('"backup-restore":{"finished":true');
});
