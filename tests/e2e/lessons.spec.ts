// Proves a learner can follow a lesson on the page: the card says which step of how many and rings the node it points at, doing what a step asks moves the lesson on (and is announced), the clock enters timed steps and a seek back rewinds them, and a reload finds the lesson at the same step.
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { QUIET_CLUSTER, linkTo, node, openQuietCluster } from './helpers';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots';

function lesson(page: Page) {
  return page.getByRole('region', { name: /^Step \d+ of \d+$/ });
}

async function expectStep(page: Page, step: number, of: number): Promise<void> {
  await expect(lesson(page).getByRole('heading')).toHaveText(`Step ${step} of ${of}`);
}

test('following the stateless lesson: crash the ringed server, restart it, and a reload keeps the step', async ({ page }) => {
  await page.goto('./#preset=stateless-vs-stateful');
  await expectStep(page, 1, 7);
  await expect(lesson(page)).toContainText('Press Play');
  await lesson(page).getByRole('button', { name: 'Next' }).click();

  await expectStep(page, 2, 7);
  await expect(lesson(page)).toContainText('Crash an API server');
  await expect(node(page, 'api-2')).toHaveClass(/is-lesson-target/);
  await expect(node(page, 'api-2')).toHaveAccessibleName(/the lesson points here$/);
  await expect(page.locator('.is-lesson-target')).toHaveCount(1);
  await expect(lesson(page).getByRole('button', { name: 'api-2 (serving)' })).toBeVisible();

  // Do what the step says: select the ringed node, press Crash.
  await node(page, 'api-2').click();
  await page.getByRole('button', { name: 'Crash', exact: true }).click();
  await expectStep(page, 3, 7);
  await expect(page.getByRole('status').filter({ hasText: 'Lesson step 3 of 7' })).toHaveCount(1);
  await expect(lesson(page)).toContainText('restart');
  await expect(node(page, 'api-2')).toHaveClass(/is-lesson-target/);

  // A wrong action does not complete the step: crashing another server leaves it where it is.
  await node(page, 'api-1').click();
  await page.getByRole('button', { name: 'Crash', exact: true }).click();
  await expect(node(page, 'api-1')).toHaveAttribute('data-role', 'down');
  await expectStep(page, 3, 7);

  await node(page, 'api-2').click();
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await expectStep(page, 4, 7);
  await expect(page.locator('.is-lesson-target')).toHaveCount(0);

  await page.reload();
  await expectStep(page, 4, 7);
  await expect(lesson(page)).toContainText('Let the run pass 21 s');

  // The clock enters the next step: move it past 21 s.
  await page.getByRole('slider', { name: 'Time' }).fill('22000');
  await expectStep(page, 5, 7);
  await expect(node(page, 'db-1')).toHaveClass(/is-lesson-target/);

  mkdirSync(DIR, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${DIR}/lesson-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await lesson(page).scrollIntoViewIfNeeded();
  await expect(lesson(page)).toBeInViewport();
  await page.screenshot({ path: `${DIR}/lesson-390.png` });
});

test('a scripted lesson follows the clock: a link at 8 s opens at its step, and seeking back rewinds the narrative', async ({ page }) => {
  await page.goto('./#preset=raft-basics&t=8000');
  await expectStep(page, 5, 7);
  await expect(lesson(page)).toContainText('orch-2 leads term 2');
  await expect(node(page, 'orch-2')).toHaveClass(/is-lesson-target/);

  await page.getByRole('slider', { name: 'Time' }).fill('3000');
  await expectStep(page, 2, 7);
  await expect(node(page, 'orch-3')).toHaveClass(/is-lesson-target/);
  await expect(lesson(page)).toContainText('Moves on at 5.500 s');

  // Back and Next, by button and by key.
  await lesson(page).getByRole('button', { name: 'Back' }).click();
  await expectStep(page, 1, 7);
  await expect(lesson(page).getByRole('button', { name: 'Back' })).toBeDisabled();
  await page.keyboard.press('n');
  await expectStep(page, 2, 7);
  await page.keyboard.press('b');
  await expectStep(page, 1, 7);
});

test('a lesson carried in a #s= link opens paused on step 1 with Play offered, and any link with &t= opens paused at its moment', async ({ page }) => {
  const basics = JSON.parse(readFileSync(new URL('../../public/scenarios/raft-basics.json', import.meta.url), 'utf8')) as object;
  const playButton = page.getByRole('button', { name: 'Play' });
  const pauseButton = page.getByRole('button', { name: 'Pause' });
  const time = page.getByLabel('Simulated time', { exact: true });

  await page.goto(linkTo(basics));
  await expectStep(page, 1, 7);
  await expect(pauseButton).toHaveAttribute('aria-pressed', 'true');
  await expect(playButton).toHaveClass(/is-inviting/);
  await expect(time).toHaveText('0.000 s');
  await playButton.click();
  await expect(playButton).toHaveAttribute('aria-pressed', 'true');

  // The same lesson at a moment, and a scenario without steps at a moment: both paused there.
  await page.goto(linkTo(basics, 8000));
  await expect(time).toHaveText('8.000 s');
  await expect(pauseButton).toHaveAttribute('aria-pressed', 'true');
  await expectStep(page, 5, 7);
  await page.goto(linkTo(QUIET_CLUSTER, 3000));
  await expect(time).toHaveText('3.000 s');
  await expect(pauseButton).toHaveAttribute('aria-pressed', 'true');
  await expect(lesson(page)).toHaveCount(0);
});

test('a scenario without steps shows no lesson card', async ({ page }) => {
  // Every bundled scenario is a lesson now: a scenario of one's own without steps.
  await openQuietCluster(page);
  await expect(lesson(page)).toHaveCount(0);
});
