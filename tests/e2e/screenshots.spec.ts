// Proves nothing by assertion beyond the page reaching each state; it saves screenshots of those states to /tmp/shots for a person to look at.
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { clock, FIVE_NODES, linkTo, node, openQuietCluster, QUIET_CLUSTER, waitForLeader } from './helpers';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots';
mkdirSync(DIR, { recursive: true });

test('screenshots of the main states', async ({ page }) => {
  // Opened paused at 0 s, so the first election cannot be over before the test looks for it.
  await page.goto(linkTo(QUIET_CLUSTER, 0));
  await expect(page.locator('[data-node-id]')).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: `${DIR}/1-first-load.png` });

  // An election in progress: step until a candidate's vote requests are on the wire.
  for (let i = 0; i < 400; i++) {
    if ((await page.locator('[data-link] [data-message="vote-request"]').count()) > 0) break;
    const before = await clock(page);
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => clock(page)).not.toBe(before);
  }
  await expect(page.locator('[data-role="candidate"]')).toHaveCount(1);
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
  await page.getByRole('button', { name: 'Play' }).click(); // a lesson opens paused on its first step
  await waitForLeader(page);
  await page.screenshot({ path: `${DIR}/9-projector.png` });
});

test('screenshots of the partition tool, a partition in force, a dark region and the node menu', async ({ page }) => {
  await page.goto(linkTo({ ...FIVE_NODES, workload: { proposalsPerSec: 2 } }));
  const first = await waitForLeader(page);
  await page.getByRole('button', { name: 'Partition…' }).click();
  await node(page, first.id).click();
  await node(page, first.id === 'orch-1' ? 'orch-2' : 'orch-1').click();
  await page.screenshot({ path: `${DIR}/10-partition-picking.png` });
  await page.getByRole('button', { name: 'Apply partition' }).click();
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `${DIR}/11-partition-in-force.png` });
  await page.getByRole('button', { name: 'Heal all' }).click();

  await node(page, 'orch-3').focus();
  await page.keyboard.press('Shift+F10');
  await expect(page.getByRole('menu')).toBeVisible();
  await page.screenshot({ path: `${DIR}/12-node-menu.png` });
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Black out mumbai' }).click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${DIR}/13-dark-region.png` });
});

test('screenshot of a description in markdown', async ({ page }) => {
  const description =
    'Three **Raft** nodes start as *followers*. The first whose election timer fires becomes a candidate and asks for votes.\n\n' +
    '- Crash the leader and watch a new election\n- Compare `term` numbers before and after\n\nRead more in [the Raft paper](https://raft.github.io/raft.pdf). <script>alert(1)</script>';
  await page.goto(linkTo({ version: 1, title: 'Described', seed: 3, description, topology: { orchestrators: 3, servers: 0, database: null } }));
  await waitForLeader(page);
  await page.screenshot({ path: `${DIR}/14-markdown-description.png` });
});

test('screenshot at 360 px wide while partitioning', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(linkTo(FIVE_NODES));
  await waitForLeader(page);
  await page.getByRole('button', { name: 'Partition…' }).click();
  await node(page, 'orch-1').click();
  await page.screenshot({ path: `${DIR}/15-narrow-partition.png`, fullPage: true });
  await page.getByRole('button', { name: 'Apply partition' }).click();
  await node(page, 'orch-2').click({ button: 'right' });
  await page.screenshot({ path: `${DIR}/16-narrow-menu.png` });
});
