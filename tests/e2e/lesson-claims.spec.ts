// Proves a lesson follows the learner: followed as the cards say, every claim holds and the card names the nodes on screen; a learner who acts early, crashes another node than asked or leaves the leader alone never reads as fact what the screen contradicts, is told so in words, and can rewind to where the step began.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { linkTo, node, QUIET_CLUSTER, waitForLeader } from './helpers';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots';

function card(page: Page) {
  return page.getByRole('region', { name: /^Step \d+ of \d+$/ });
}

async function expectStep(page: Page, step: number): Promise<void> {
  await expect(card(page).getByRole('heading')).toHaveText(`Step ${step} of 7`);
}

async function act(page: Page, id: string, action: 'Crash' | 'Restart'): Promise<void> {
  await node(page, id).click();
  await page.getByRole('button', { name: action, exact: true }).click();
}

async function openHandsOn(page: Page): Promise<void> {
  await page.goto('./#preset=raft-hands-on');
  await expectStep(page, 1);
  await page.getByRole('slider', { name: 'Speed' }).fill('0.5'); // about 3×: an election within a second of wall time
}

// A whole lesson is walked at a speed a person can follow: longer than the default test time, never a timing assertion.
test.describe.configure({ timeout: 240_000 });

/** The ids of the running orchestrators that follow. */
async function followers(page: Page): Promise<string[]> {
  return page.locator('[data-role="follower"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id') ?? ''));
}

test('followed as the cards say, every claim of raft-hands-on holds and the text names the nodes on screen', async ({ page }) => {
  await openHandsOn(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expectStep(page, 2);
  const first = await waitForLeader(page);
  await expect(card(page)).toContainText(`${first.id} leads term ${first.term}.`);
  await expect(card(page)).toHaveAttribute('data-claims', 'hold');

  await act(page, first.id, 'Crash');
  await expectStep(page, 3);
  await expect(card(page)).toContainText(`no heartbeat from ${first.id}`);
  const second = await waitForLeader(page, first.term);
  await expect(card(page)).toHaveAttribute('data-claims', 'hold'); // the new term and leader, once due
  await act(page, first.id, 'Restart');

  await expectStep(page, 4);
  await expect(card(page)).toContainText(`crash the leader, ${second.id}`);
  await expect(card(page)).not.toHaveAttribute('data-claims', 'fails');
  await act(page, second.id, 'Crash');

  await expectStep(page, 5);
  const third = await waitForLeader(page, second.term);
  await expect(card(page)).toHaveAttribute('data-claims', 'hold');
  await act(page, third.id, 'Crash');

  await expectStep(page, 6);
  await expect(page.locator('[data-role="leader"]')).toHaveCount(0);
  await expect(card(page)).toHaveAttribute('data-claims', 'hold'); // no leader, after the survivor campaigned
  await act(page, third.id, 'Restart');

  await expectStep(page, 7);
  await waitForLeader(page, third.term);
  await expect(card(page)).toHaveAttribute('data-claims', 'hold');
  await expect(card(page).locator('.lesson-deviation')).toHaveCount(0);
});

test('a learner who acts early, crashes a follower instead of the leader or leaves the leader alone is answered, never told what the screen contradicts, and can rewind', async ({ page }) => {
  await openHandsOn(page);
  // Early: crash the leader at 2 s, before the step that asks for it (2.5 s) is current.
  await page.getByRole('slider', { name: 'Time' }).fill('2000');
  const first = await waitForLeader(page);
  await expectStep(page, 1);
  await act(page, first.id, 'Crash');
  await page.getByRole('button', { name: 'Play' }).click();
  // The crash counts when step 2 comes: the card goes on to step 3, never saying that the crashed node leads.
  await expectStep(page, 3);
  await expect(card(page)).not.toContainText(`${first.id} leads`);
  const second = await waitForLeader(page, first.term);
  await act(page, first.id, 'Restart');
  await expectStep(page, 4);

  // Leaving the leader alone: the card keeps naming the leader on screen, and nothing it says is contradicted.
  await expect(card(page)).toContainText(`crash the leader, ${second.id}`);
  await expect(card(page)).toHaveAttribute('data-claims', 'hold');

  // Another node than asked: crash a follower instead of the leader.
  const follower = (await followers(page))[0]!;
  await act(page, follower, 'Crash');
  await expectStep(page, 5);
  await expect(card(page).getByRole('note')).toHaveText(`You crashed ${follower}, a follower; the lesson asked for the leader, ${second.id}.`);
  // The step says a new leader is elected; on screen the old one goes on, so the card says that instead.
  const deviation = card(page).locator('.lesson-deviation');
  await expect(deviation).toBeVisible({ timeout: 20_000 });
  await expect(card(page)).toHaveAttribute('data-claims', 'fails');
  await expect(deviation).toContainText('Your run went another way');
  await expect(deviation).toContainText(`${second.id} still leads`);
  await expect.poll(() => card(page).innerText()).not.toContain('a new leader is elected again'); // folded away, under "as the lesson expects"

  mkdirSync(DIR, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: `${DIR}/lesson-deviation-1366.png` });

  // Rewind: back to just before the wrong crash, on the step that asked for the leader; the follower runs again.
  await card(page).getByRole('button', { name: 'Rewind to where this step began' }).click();
  await expectStep(page, 4);
  await expect(node(page, follower)).not.toHaveAttribute('data-role', 'down');
  await expect(card(page).locator('.lesson-deviation')).toHaveCount(0);
  await expect(card(page).getByRole('note')).toHaveCount(0);
  const leaderNow = await waitForLeader(page);
  expect(leaderNow.id).toBe(second.id);

  // This time as asked.
  await act(page, second.id, 'Crash');
  await expectStep(page, 5);
  await expect(card(page).getByRole('note')).toHaveCount(0);
  await page.getByRole('button', { name: 'Play' }).click();
  const third = await waitForLeader(page, second.term);
  await expect(card(page)).toHaveAttribute('data-claims', 'hold');

  // The case: crash the follower rather than the leader, leaving one node: the survivor stays leader (CheckQuorum is off).
  const last = (await followers(page))[0]!;
  await act(page, last, 'Crash');
  await expectStep(page, 6);
  await expect(card(page).getByRole('note')).toContainText(`the lesson asked for the leader, ${third.id}`);
  await expect(card(page).locator('.lesson-deviation')).toContainText('CheckQuorum is off', { timeout: 20_000 });
  await expect.poll(() => card(page).innerText()).not.toContain('never wins'); // folded away, not stated
  await expect(card(page).getByRole('button', { name: 'Go on from here' })).toBeVisible();
});

/** The quiet three orchestrators and a question at 0.3 s: which one wins the first election? */
const PREDICT = {
  ...QUIET_CLUSTER,
  title: 'Predict the first leader',
  seed: 1,
  durationMs: 30_000,
  steps: [
    { text: 'Press **Play**.' },
    {
      text: 'Three followers, each with a randomized election timeout.',
      atMs: 300,
      question: {
        prompt: 'Which orchestrator becomes the first leader?',
        choices: [
          { label: 'orch-1', claims: [{ leader: 'orch-1' }], why: 'Its timeout ran out first.' },
          { label: 'orch-2', claims: [{ leader: 'orch-2' }], why: 'Its timeout ran out first.' },
          { label: 'orch-3', claims: [{ leader: 'orch-3' }], why: 'Its randomized timeout ran out first, so it asked for votes first.' },
        ],
        revealAfterMs: 3000,
      },
    },
    { text: '**{leader}** leads term {term}.', claims: [{ leader: '@any' }] },
  ],
  lessonSummary: 'You saw **{leader}** win the first election.',
};

test('a question pauses the run, takes a pick by keyboard, plays on and reveals whether the prediction held', async ({ page }) => {
  await page.goto(linkTo(PREDICT, 100)); // opened at a moment: paused, on the first step
  await expect(card(page).getByRole('heading')).toHaveText('Step 1 of 3');
  await page.getByRole('slider', { name: 'Speed' }).fill('0');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(card(page).getByRole('heading')).toHaveText('Step 2 of 3');
  const question = card(page).getByRole('group', { name: /Which orchestrator becomes the first leader/ });
  await expect(question).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true'); // the run waits for the answer
  await expect(page.getByLabel('Simulated time')).toHaveText('0.300 s'); // the worker stopped the clock at the question's time, not a frame later

  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: `${DIR}/lesson-question-1366.png` });

  const choice = question.getByRole('button', { name: 'orch-1' });
  await choice.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');
  await expect(card(page)).toContainText('You predicted orch-1');
  // The first leader of seed 1 is orch-3: the reveal says the prediction did not hold, and why.
  await expect(card(page)).toContainText('Your prediction did not hold.', { timeout: 20_000 });
  await expect(card(page)).toContainText('on this run: orch-3');
  await expect(card(page)).toContainText('asked for votes first');
  await page.screenshot({ path: `${DIR}/lesson-reveal-1366.png` });
  const kept = await page.evaluate(() => localStorage.getItem('ha-playground:predictions:v1') ?? '');
  expect(kept).toContain('"picked":"orch-1"');
});
