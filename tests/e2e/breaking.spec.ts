// Proves that a person can split the network with the partition tool, black out a data centre, and break a node from its context menu, by mouse and by keyboard.
import { expect, test } from '@playwright/test';
import { FIVE_NODES, linkTo, node, openQuietCluster, waitForLeader, waitForLeaderOnSide } from './helpers';

test('partitioning the leader and one follower away elects a new leader on the majority side; Heal all removes it', async ({ page }) => {
  await page.goto(linkTo(FIVE_NODES));
  const first = await waitForLeader(page);
  const buddy = first.id === 'orch-1' ? 'orch-2' : 'orch-1';

  await page.getByRole('button', { name: 'Partition…' }).click();
  const tool = page.getByRole('region', { name: 'Partition: pick side 1' });
  await expect(tool).toBeVisible();
  await expect(tool.getByRole('button', { name: 'Apply partition' })).toBeDisabled();
  await node(page, first.id).click();
  await node(page, buddy).click();
  await expect(node(page, first.id)).toHaveAttribute('data-side', '1');
  await expect(node(page, buddy)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-side="2"]')).toHaveCount(3);
  await tool.getByRole('button', { name: 'Apply partition' }).click();
  await expect(tool).toHaveCount(0);

  // The applied partition is drawn: each node carries its side, and a note says it in words.
  await expect(node(page, first.id)).toHaveAccessibleName(new RegExp(`side 1 of the partition$`));
  await expect(page.getByText('Partitioned:')).toBeVisible();
  const majorityLeader = await waitForLeaderOnSide(page, '2', first.term);
  expect([first.id, buddy]).not.toContain(majorityLeader);
  await expect(page.getByText('Network partitioned into', { exact: false }).first()).toBeAttached();

  await page.getByRole('button', { name: 'Heal all' }).click();
  await expect(page.locator('[data-side]')).toHaveCount(0);
  await expect(page.getByText('Partitioned:')).toHaveCount(0);
  await waitForLeader(page); // one leader again once the old one hears the higher term
});

test('keyboard only: p opens the partition tool, Enter picks the focused node, Esc cancels', async ({ page }) => {
  await openQuietCluster(page);
  await waitForLeader(page);
  await page.keyboard.press('p');
  await expect(page.getByRole('heading', { name: 'Partition: pick side 1' })).toBeVisible();
  await expect(node(page, 'orch-1')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(node(page, 'orch-1')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Enter');
  await expect(node(page, 'orch-1')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('2');
  await expect(node(page, 'orch-2')).toHaveAttribute('data-side', '1');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Partition: pick side 1' })).toHaveCount(0);
  await expect(page.locator('[data-side]')).toHaveCount(0);
  await expect(page.getByText('Partitioned:')).toHaveCount(0);
});

test('blacking out the primary data centre takes every node down; restoring it brings them back', async ({ page }) => {
  await page.goto(linkTo(FIVE_NODES));
  await waitForLeader(page);
  await page.getByRole('button', { name: 'Black out mumbai' }).click();
  await expect(page.locator('[data-node-id]:not([data-role="down"])')).toHaveCount(0);
  await expect(page.locator('[data-region="primary"]')).toContainText('Dark: no power, no network');
  await expect(page.getByRole('status').filter({ hasText: 'went dark' })).toBeVisible();
  // A node in a dark data centre cannot be restarted on its own; the inspector says why.
  await node(page, 'orch-3').click();
  await expect(page.getByRole('button', { name: 'Restart' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Restart' })).toHaveAccessibleDescription(/data centre is dark/);

  await page.getByRole('button', { name: 'Restore mumbai' }).click();
  await expect(page.locator('[data-role="down"]')).toHaveCount(0);
  await expect(page.locator('[data-region="primary"]')).not.toContainText('Dark:');
  await waitForLeader(page);
});

test('keyboard only: Shift+F10 on a focused node opens its menu, and Crash there crashes it', async ({ page }) => {
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  await node(page, first.id).focus();
  await page.keyboard.press('Shift+F10');
  const menu = page.getByRole('menu', { name: `Actions for ${first.id}` });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Crash' })).toBeFocused();
  await expect(menu.getByRole('menuitem', { name: 'Promote' })).toHaveAttribute('aria-disabled', 'true');
  await expect(menu.getByRole('menuitem', { name: 'Promote' })).toHaveAccessibleDescription(/no database/);
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect(node(page, first.id)).toHaveAttribute('data-role', 'down');
  await expect(node(page, first.id)).toBeFocused();

  // The menu key opens it too; arrows move, Esc closes and gives focus back.
  await page.keyboard.press('ContextMenu');
  await expect(menu.getByRole('menuitem', { name: 'Restart' })).toBeFocused(); // Crash is unavailable on a down node
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Wipe disk' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(node(page, first.id)).toBeFocused();
  await expect(node(page, first.id)).toHaveAttribute('data-role', 'down');
});

test('right-clicking a node opens the same actions; Restart there restarts it', async ({ page }) => {
  await openQuietCluster(page);
  await waitForLeader(page);
  await node(page, 'orch-2').click();
  await page.getByRole('button', { name: 'Crash' }).click();
  await expect(node(page, 'orch-2')).toHaveAttribute('data-role', 'down');
  await node(page, 'orch-2').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions for orch-2' });
  await expect(menu.getByRole('menuitem', { name: 'Crash' })).toHaveAttribute('aria-disabled', 'true');
  await menu.getByRole('menuitem', { name: 'Restart' }).click();
  await expect(node(page, 'orch-2')).not.toHaveAttribute('data-role', 'down');
  // A click elsewhere closes a menu that is open.
  await node(page, 'orch-3').click({ button: 'right' });
  await expect(page.getByRole('menu')).toBeVisible();
  await page.getByRole('slider', { name: 'Time' }).hover();
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.getByRole('menu')).toHaveCount(0);
});

test('the scenario description shows its markdown, and hostile markup only as text', async ({ page }) => {
  const description =
    'Watch the **leader** send *heartbeats* every `100 ms`.\n\n- crash it\n- see a [new leader](https://raft.github.io/)\n\n<img src=x onerror="window.__pwned=1"> [bad](javascript:window.__pwned=1)';
  await page.goto(linkTo({ version: 1, title: 'Described', seed: 3, description, topology: { orchestrators: 3, servers: 0, database: null } }));
  const about = page.locator('.about');
  await expect(about.locator('strong')).toHaveText('leader');
  await expect(about.locator('em')).toHaveText('heartbeats');
  await expect(about.locator('code')).toHaveText('100 ms');
  await expect(about.getByRole('listitem')).toHaveCount(2);
  const link = about.getByRole('link', { name: 'new leader' });
  await expect(link).toHaveAttribute('href', 'https://raft.github.io/');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(about).toContainText('<img src=x onerror="window.__pwned=1">');
  await expect(about).toContainText('[bad](javascript:window.__pwned=1)');
  await expect(about.locator('img, a[href^="javascript"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
