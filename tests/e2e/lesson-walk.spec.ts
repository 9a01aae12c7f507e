// Proves a learner can walk lessons from three sections of the course (1.1 stateless vs stateful, 2.1 backups, 9.1 the combined setup) doing what each card says: Play, the node menu, the keyboard, the Restore… question, a prediction, a data centre's Black out switch; the card moves on at each step, and at no moment, however brief, does a card say the run went another way.
import { expect, test, type Page } from '@playwright/test';
import { node } from './helpers';

function card(page: Page) {
  return page.getByRole('region', { name: /^Step \d+ of \d+$/ });
}

async function expectStep(page: Page, step: number, of: number): Promise<void> {
  await expect(card(page).getByRole('heading')).toHaveText(`Step ${step} of ${of}`, { timeout: 30_000 });
}

/** Waits until every claim of the current step is due and holds (a claim with `after` waits for its moment). */
async function expectClaimsHold(page: Page): Promise<void> {
  await expect(card(page)).toHaveAttribute('data-claims', 'hold', { timeout: 30_000 });
}

interface Seen {
  /** Each step the card showed, in order, with its text when it came. */
  readonly steps: { readonly step: number; readonly text: string }[];
  /** Each moment a card judged a claim failed or said the run went another way. */
  readonly deviations: string[];
}

/**
 * Records, from the first frame on, each step the card shows and every moment it judges a claim
 * failed or shows the "your run went another way" box, however briefly: a check between the
 * learner's actions could miss a step the clock carried the card through, or a passing deviation.
 */
async function recordCard(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: Seen = { steps: [], deviations: [] };
    (window as unknown as { lessonSeen: Seen }).lessonSeen = seen;
    new MutationObserver(() => {
      const section = document.querySelector('section.lesson');
      if (!section) return;
      const step = Number(section.getAttribute('data-step'));
      const text = section.querySelector('.lesson-text')?.textContent ?? '';
      if (seen.steps.at(-1)?.step !== step) seen.steps.push({ step, text });
      if (section.getAttribute('data-claims') === 'fails' || section.querySelector('.lesson-deviation')) {
        seen.deviations.push(`step ${step}: ${(section.textContent ?? '').slice(0, 300)}`);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-claims', 'data-step'] });
  });
}

async function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => (window as unknown as { lessonSeen: Seen }).lessonSeen);
}

/** The text the card showed when step `step` came (it must have come). */
async function textOf(page: Page, step: number): Promise<string> {
  const shown = (await seen(page)).steps.find((s) => s.step === step);
  expect(shown, `step ${step} was shown`).toBeDefined();
  return shown!.text;
}

/**
 * Opens a lesson as its link does: paused on step 1 with Play offered. The learner raises Speed
 * (as the cards suggest when the clock crawls): `log10` of the rate, so '1' is 10×.
 */
async function openLesson(page: Page, id: string, steps: number, speed: string): Promise<void> {
  await page.goto(`./#preset=${id}`);
  await expectStep(page, 1, steps);
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Play' })).toHaveClass(/is-inviting/);
  await page.getByRole('slider', { name: 'Speed' }).fill(speed);
}

/** Selects the node the step rings (its inspector offers `action`) and presses that action's key. */
async function pressOnRinged(page: Page, id: string, action: string, key: string): Promise<void> {
  await expect(node(page, id)).toHaveClass(/is-lesson-target/);
  await node(page, id).click();
  await expect(page.getByRole('button', { name: action, exact: true })).toBeVisible();
  await page.keyboard.press(key);
}

/** The steps the card showed, in order: every one of 1…`of`, none skipped or shown twice in a row. */
async function expectEveryStepShown(page: Page, of: number): Promise<void> {
  expect((await seen(page)).steps.map((s) => s.step)).toEqual(Array.from({ length: of }, (_, i) => i + 1));
}

// Three whole lessons, each played through at a speed a person can follow.
test.describe.configure({ timeout: 240_000 });

test.beforeEach(async ({ page }) => {
  await recordCard(page);
});

test.afterEach(async ({ page }) => {
  expect((await seen(page)).deviations).toEqual([]);
});

test('1.1 stateless vs stateful: crash the ringed server from its menu, restart it by key, wipe the database, restore it', async ({ page }) => {
  // 1×: the learner acts within a second or two of simulated time of its step's claims holding, as a person would, well before the clock's next step (21 s).
  await openLesson(page, 'stateless-vs-stateful', 7, '0');
  await expect(card(page)).toContainText('Press Play');
  await page.getByRole('button', { name: 'Play' }).click();

  // Step 2 comes with the clock: it asks to crash api-2, ringed. The node's menu does it.
  await expectStep(page, 2, 7);
  await expect(card(page)).toContainText('Crash an API server');
  await expect(node(page, 'api-2')).toHaveClass(/is-lesson-target/);
  await node(page, 'api-2').click({ button: 'right' });
  await page.getByRole('menu', { name: 'Actions for api-2' }).getByRole('menuitem', { name: 'Crash' }).click();

  await expectStep(page, 3, 7);
  await expect(node(page, 'api-2')).toHaveAttribute('data-role', 'down');
  // The card says requests are retried and none fails: once that is on screen, restart api-2 with `r`.
  await expectClaimsHold(page);
  await pressOnRinged(page, 'api-2', 'Restart', 'r');

  await expectStep(page, 4, 7);
  await expect(card(page)).toContainText('Let the run pass 21 s');
  // The clock enters step 5 at 21 s: wipe db-1's disk (ringed) with `w`.
  await expectStep(page, 5, 7);
  await pressOnRinged(page, 'db-1', 'Wipe disk', 'w');

  await expectStep(page, 6, 7);
  await expect(card(page)).toContainText('No node takes writes');
  await expectClaimsHold(page); // writes rejected, once clients have given up on some
  await node(page, 'db-1').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions for db-1' });
  await menu.getByRole('menuitem', { name: 'Restore…' }).click();
  await menu.getByRole('menuitem', { name: 'Restore from backup-mumbai' }).click();

  await expectStep(page, 7, 7);
  await expectClaimsHold(page); // db-1 primary again, writes lost
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await expect(card(page)).toContainText('What you saw');
  await expectEveryStepShown(page, 7);
});

test('2.1 backups: play through the disk failure, answer the prediction, and see it held', async ({ page }) => {
  await openLesson(page, 'backup-restore', 7, '1');
  await page.getByRole('button', { name: 'Play' }).click();

  // The clock carries the card through the backup, the failure and the restore to the question, which stops the run.
  await expectStep(page, 6, 7);
  expect(await textOf(page, 2)).toContain('full backup reached backup-mumbai');
  expect(await textOf(page, 5)).toContain('restores db-1 from backup-mumbai');
  const question = card(page).getByRole('group', { name: /which acknowledged writes are lost/ });
  await expect(question).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await question.getByRole('button', { name: 'Those acknowledged after the last backup' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');

  await expectStep(page, 7, 7);
  await expect(card(page)).toContainText('Your prediction held.');
  await expectClaimsHold(page);
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  // Steps 3 and 4 are 0.1 s apart, yet at 10× the clock waits at each step's time for its frame: every card is drawn.
  await expectEveryStepShown(page, 7);
});

test('9.1 the combined setup: three faults heal themselves, then black out mumbai with its switch and promote db-3 by key', async ({ page }) => {
  await openLesson(page, 'combined-setup', 9, '1');
  await page.getByRole('button', { name: 'Play' }).click();

  // Step 7 waits for the learner: the data centre's switch. The clock carried the card there through the three faults.
  await expectStep(page, 7, 9);
  expect(await textOf(page, 2)).toContain('api-2 crashed');
  expect(await textOf(page, 4)).toMatch(/orchestrator leader orch-\d crashed/);
  expect(await textOf(page, 6)).toContain('db-2 is primary');
  await expect(card(page)).toContainText('black out mumbai');
  await expectClaimsHold(page);
  await page.getByRole('button', { name: 'Black out mumbai' }).click();

  await expectStep(page, 8, 9);
  await pressOnRinged(page, 'db-3', 'Promote', 'Shift+P');

  await expectStep(page, 9, 9);
  await expect(node(page, 'db-3')).toHaveAttribute('data-role', 'primary');
  await expectClaimsHold(page); // db-3 takes writes, few lost, requests still failing
  await expect(card(page)).toContainText('What you saw');
  await expectEveryStepShown(page, 9);
});
