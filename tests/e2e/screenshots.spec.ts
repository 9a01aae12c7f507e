// Proves nothing by assertion beyond the page reaching each state; it saves screenshots of those states to /tmp/shots for a person to look at.
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { linkTo, openQuietCluster, pause, waitForLeader } from './helpers';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots';
mkdirSync(DIR, { recursive: true });

test('screenshots of the main states', async ({ page }) => {
  await openQuietCluster(page);
  await page.screenshot({ path: `${DIR}/1-first-load.png` });

  // An election in progress: step until a candidate's vote requests are on the wire.
  await pause(page);
  for (let i = 0; i < 400; i++) {
    if ((await page.locator('[data-link] [data-message="vote-request"]').count()) > 0) break;
    await page.getByRole('button', { name: 'Step' }).click();
  }
  await expect(page.locator('[data-role="candidate"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Play' }).click(); // let the vote requests travel a little
  await page.waitForTimeout(120);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: `${DIR}/2-election-in-progress.png` });

  await page.getByRole('button', { name: 'Play' }).click();
  const first = await waitForLeader(page);
  await page.locator(`[data-node-id="${first.id}"]`).click();
  await page.screenshot({ path: `${DIR}/3-inspector-open.png` });
  await page.getByRole('button', { name: 'Crash' }).click();
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${DIR}/4-crashed-leader.png` });
  await waitForLeader(page, first.term);
  await page.screenshot({ path: `${DIR}/5-new-leader.png` });
});

test('screenshots of a cut link and a five-node cluster', async ({ page }) => {
  await page.goto(linkTo({ version: 1, title: 'Five orchestrators', seed: 9, topology: { orchestrators: 5, servers: 0 }, workload: { proposalsPerSec: 2 } }));
  const first = await waitForLeader(page);
  const other = first.id === 'orch-1' ? 'orch-2' : 'orch-1';
  await page.locator(`[data-node-id="${first.id}"]`).click();
  await page.getByRole('button', { name: `Cut link to ${other}` }).click();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `${DIR}/6-five-nodes-cut-link.png` });
});

test('screenshot at 360 px wide', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await openQuietCluster(page);
  await waitForLeader(page);
  await page.screenshot({ path: `${DIR}/7-narrow-360.png`, fullPage: true });
});

test('screenshot of a bad link', async ({ page }) => {
  await page.goto('./#s=NoThInG');
  await expect(page.getByRole('alert')).toBeVisible();
  await page.screenshot({ path: `${DIR}/8-bad-link.png` });
});

test('screenshot on a projector', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./#preset=raft-basics');
  await waitForLeader(page);
  await page.screenshot({ path: `${DIR}/9-projector.png` });
});
