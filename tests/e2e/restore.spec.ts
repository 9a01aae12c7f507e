// Proves that a learner can restore a lost database node from the page: Restore… on the down node asks which backup store (only the stores the scenario has; none for a running node), and the chosen one is restored through the same recorded action a scenario file would use, from the inspector and from the node's menu.
import { expect, test, type Page } from '@playwright/test';
import { linkTo, node } from './helpers';

/** One database, backups every 5 s to a store in each data centre; db-1's disk fails at 12 s and nothing restores it. */
const LOST_DATABASE = {
  version: 1,
  title: 'The only database loses its disk',
  seed: 21,
  durationMs: 60_000,
  topology: { orchestrators: 0, servers: 0, database: { standbys: [] }, backups: { incrementalEveryMs: 5000, fullEveryMs: 10_000, offsite: true }, regions: { primary: 'mumbai', dr: 'singapore' } },
  workload: { writesPerSec: 10 },
  events: [{ atMs: 12_000, do: 'wipe-disk', node: 'db-1' }],
};

async function openLost(page: Page): Promise<void> {
  await page.goto(linkTo(LOST_DATABASE, 13_000));
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'down');
}

async function playToRestored(page: Page): Promise<void> {
  await page.getByRole('slider', { name: 'Speed' }).fill('0'); // 1×: the restore takes about 3 s
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary', { timeout: 20_000 });
}

test('Restore… in the inspector asks which store, offering both, and restores db-1 from the one chosen', async ({ page }) => {
  await openLost(page);
  await node(page, 'db-1').click();
  await page.getByRole('button', { name: 'Restore…' }).click();
  const question = page.getByRole('group', { name: 'Restore db-1 from which backup store?' });
  await expect(question.getByRole('button', { name: /^Restore from / })).toHaveText(['Restore from backup-mumbai', 'Restore from backup-singapore']);
  await question.getByRole('button', { name: 'Restore from backup-singapore' }).click();
  await expect(question).toHaveCount(0);
  await expect(page.locator('.log-lines')).toContainText('Operator: restore db-1 from backup-singapore');
  await playToRestored(page);
  await expect(page.locator('.log-lines')).toContainText('db-1 restored from backup-singapore');
});

test('Restore… in the node menu turns the menu into the stores; Back returns to the actions', async ({ page }) => {
  await openLost(page);
  await node(page, 'db-1').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions for db-1' });
  await menu.getByRole('menuitem', { name: 'Restore…' }).click();
  await expect(menu.getByRole('menuitem', { name: 'Restore from backup-mumbai' })).toBeFocused();
  await menu.getByRole('menuitem', { name: 'Back to actions', exact: true }).click();
  await expect(menu.getByRole('menuitem', { name: 'Crash' })).toBeVisible();
  await menu.getByRole('menuitem', { name: 'Restore…' }).click();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect(page.locator('.log-lines')).toContainText('Operator: restore db-1 from backup-mumbai');
  await playToRestored(page);
});

test('Restore… cannot run on a running node, and is not offered where there are no backups', async ({ page }) => {
  await page.goto(linkTo(LOST_DATABASE, 3000));
  await node(page, 'db-1').click();
  await expect(page.getByRole('button', { name: 'Restore…' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Restore…' })).toHaveAccessibleDescription(/db-1 is running/);
  await page.goto(linkTo({ ...LOST_DATABASE, topology: { ...LOST_DATABASE.topology, backups: null } }, 3000));
  await node(page, 'db-1').click();
  await expect(page.getByRole('button', { name: 'Crash' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Restore…' })).toHaveCount(0);
});

test('a node being restored says so: its card wears "restoring", the store and a countdown, and its inspector says what it restores', async ({ page }) => {
  // backup-restore: db-1's disk fails at 45 s; at 50 s the operator restores it from backup-mumbai, up at 54.598 s.
  await page.goto('./#preset=backup-restore&t=52000');
  await expect(page.locator('output[aria-label="Simulated time"]')).toHaveText('52.000 s');
  const db1 = node(page, 'db-1');
  await expect(db1).toHaveAttribute('data-role', 'restoring');
  await expect(db1).toContainText('restoring');
  await expect(db1).toContainText('from backup-mumbai');
  await expect(db1).toContainText('ready in 2.6 s');
  await expect(db1).toHaveAccessibleName(/^db-1, restoring, from backup-mumbai, ready at 54\.6 s(, the lesson points here)?$/); // no epoch: the one its machine last held says nothing until the backup is in
  await db1.click();
  await expect(page.locator('.inspector')).toContainText('An operator is restoring db-1 from backup-mumbai');
  await expect(page.locator('.inspector')).toContainText('up to LSN 0/1381C');
  await expect(page.locator('.inspector .detail-table div').filter({ has: page.locator('dt', { hasText: /^Epoch$/ }) }).locator('dd')).toHaveText('—');
  await page.goto('./#preset=backup-restore&t=55000');
  await expect(page.locator('output[aria-label="Simulated time"]')).toHaveText('55.000 s');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
});
