// Proves that a learner sees the stateless tier heal itself on the page: the load balancer and the API servers are on the graph with their roles, a server crashed from the page shows down, a replacement appears as provisioning then serving without moving any node already drawn, and the graph shows who watches whom (and hides it on request).
import { expect, test, type Page } from '@playwright/test';
import { linkTo, node, pause, SERVER_CRASHES, SERVERS } from './helpers';


/** Where React Flow placed a node on the canvas (its translate, in flow coordinates, whatever the zoom). */
async function canvasPosition(page: Page, id: string): Promise<string> {
  return (await page.locator(`.react-flow__node[data-id="${id}"]`).getAttribute('style'))?.match(/translate\([^)]*\)/)?.[0] ?? '';
}

async function playAtOnce(page: Page): Promise<void> {
  await page.getByRole('slider', { name: 'Speed' }).fill('0'); // 1×: the 5 s of provisioning last 5 s on screen
  await page.getByRole('button', { name: 'Play' }).click();
}

test('the load balancer and the servers are on the graph with their roles, by word as well as by data-role', async ({ page }) => {
  await page.goto(linkTo(SERVERS, 3000));
  await expect(node(page, 'lb')).toHaveAttribute('data-role', 'balancing');
  await expect(node(page, 'lb')).toHaveAccessibleName(/^lb, balancing, 3 of 3 in rotation/);
  for (const id of ['api-1', 'api-2', 'api-3']) {
    await expect(node(page, id)).toHaveAttribute('data-role', 'serving');
    await expect(node(page, id)).toHaveAccessibleName(new RegExp(`^${id}, serving`));
    await expect(node(page, id)).toContainText('serving');
  }
  await node(page, 'lb').click();
  const inspector = page.getByRole('region', { name: 'lb' });
  await expect(inspector.locator('[data-backend="api-2"]')).toContainText('in rotation');
  await expect(page.getByRole('button', { name: 'Promote' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Crash' })).toBeEnabled();
});

test('a server crashed from the page is replaced: api-4 appears provisioning, then serving, and nothing already drawn moves', async ({ page }) => {
  await page.goto(linkTo(SERVERS, 4000));
  await expect(node(page, 'api-2')).toHaveAttribute('data-role', 'serving');
  const before = await Promise.all(['orch-1', 'lb', 'api-1', 'api-2', 'api-3'].map((id) => canvasPosition(page, id)));
  await node(page, 'api-2').click();
  await page.getByRole('button', { name: 'Crash' }).click();
  await expect(node(page, 'api-2')).toHaveAttribute('data-role', 'down');
  await expect(node(page, 'api-4')).toHaveCount(0);

  await playAtOnce(page);
  await expect(node(page, 'api-4')).toHaveAttribute('data-role', 'provisioning', { timeout: 20_000 });
  await expect(node(page, 'api-4')).toHaveAccessibleName(/^api-4, provisioning, replaces api-2, ready at \d+\.\d s/);
  await expect(node(page, 'api-4')).toContainText(/ready in \d+\.\d s/);
  await expect(node(page, 'api-2')).toHaveAccessibleName(/^api-2, down, replaced by api-4/);
  await expect(node(page, 'api-2')).toContainText('replaced by api-4');
  expect(await Promise.all(['orch-1', 'lb', 'api-1', 'api-2', 'api-3'].map((id) => canvasPosition(page, id)))).toEqual(before);

  await expect(node(page, 'api-4')).toHaveAttribute('data-role', 'serving', { timeout: 20_000 });
  await expect(node(page, 'lb')).toHaveAccessibleName(/3 of 3 in rotation/, { timeout: 10_000 });
  await pause(page);
  await expect(node(page, 'api-2')).toHaveAttribute('data-role', 'down');
  await node(page, 'api-2').click();
  await expect(page.locator('.life-sentence')).toHaveText('api-2 was replaced by api-4: it will not come back into service.');
  await expect(page.getByRole('button', { name: 'Restart' })).toBeDisabled();
});

test('the scripted crash of api-2 at 5 s: seeking shows the replacement provisioning, then serving', async ({ page }) => {
  await page.goto(linkTo(SERVER_CRASHES, 10_000));
  await expect(node(page, 'api-2')).toHaveAttribute('data-role', 'down');
  await expect(node(page, 'api-4')).toHaveAttribute('data-role', 'provisioning');
  await page.getByRole('slider', { name: 'Time' }).fill('20000');
  await expect(node(page, 'api-4')).toHaveAttribute('data-role', 'serving');
  await page.getByRole('slider', { name: 'Time' }).fill('3000');
  await expect(node(page, 'api-4')).toHaveCount(0);
  await expect(node(page, 'api-2')).toHaveAttribute('data-role', 'serving');
});

test('who watches whom: arrows on the graph, the inspector in words, and a switch that hides them', async ({ page }) => {
  await page.goto(linkTo(SERVERS, 3000));
  const toggle = page.getByRole('checkbox', { name: 'Show who watches whom' });
  await expect(toggle).toBeChecked();
  await expect(page.locator('.react-flow__edge.watch-edge')).not.toHaveCount(0);
  await expect(page.locator('.react-flow__edge.watch-edge path.watch-balancer')).toHaveCount(3);
  await page.locator('.legend summary').click();
  await expect(page.locator('.legend [data-watch-kind="balancer"]')).toContainText('load balancer checks a server');
  await page.locator('.legend summary').click(); // fold it away again: open, it covers the bottom-left of the graph

  await node(page, 'api-1').click();
  const inspector = page.getByRole('region', { name: 'api-1' });
  await expect(inspector.locator('[data-watch="watched-by"] dd')).toContainText('lb');
  await expect(inspector.locator('[data-watch="watches"] dd')).toHaveText('nobody');
  await node(page, 'lb').click();
  await expect(page.getByRole('region', { name: 'lb' }).locator('[data-watch="watches"] dd')).toHaveText('api-1, api-2, api-3');

  await toggle.uncheck();
  await expect(page.locator('.react-flow__edge.watch-edge')).toHaveCount(0);
  // The network links stay: a watch is not a link.
  await expect(page.locator('.react-flow__edge path.link')).not.toHaveCount(0);
});
