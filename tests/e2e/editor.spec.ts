// Proves, in Chromium, that scenarios travel as files and can be edited: a saved file reopens the run with the user's click in it, a bad file names the field and leaves the run alone, a dropped file opens, and the editor keeps form and JSON in step, validates live, applies, cancels, traps focus and keeps a draft across a reload.
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { FIVE_NODES, QUIET_CLUSTER, clock, linkTo, node, openQuietCluster, pause, waitForLeader, openTools } from './helpers';

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });

function jsonFile(name: string, content: string) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(content) };
}

function fileInput(page: Page) {
  return page.getByLabel('Open scenario file…');
}

async function openEditor(page: Page) {
  await openTools(page);
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit scenario' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('Save scenario file, then Open scenario file: the same run, the crash included', async ({ page }) => {
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  await pause(page);
  await node(page, first.id).click();
  await page.getByRole('button', { name: 'Crash' }).click();

  const download = page.waitForEvent('download');
  await openTools(page);
  await page.getByRole('button', { name: 'Save scenario file' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('three-orchestrators-no-script.json');
  const text = readFileSync(await saved.path(), 'utf8');
  const scenario = JSON.parse(text);
  expect(Object.keys(scenario)[0]).toBe('$schema');
  expect(scenario.$schema).toBe(new URL('scenario.schema.json', page.url()).href);
  expect(scenario.seed).toBe(QUIET_CLUSTER.seed);
  expect(scenario.events).toEqual([expect.objectContaining({ do: 'crash', node: first.id })]);
  const schema = await page.request.get(scenario.$schema);
  expect((await schema.json()).$id).toBe('urn:ha-playground:scenario:1');

  // Another scenario first, so that the file visibly brings its own back.
  await page.goto(linkTo(FIVE_NODES));
  await expect(page.locator('[data-node-id]')).toHaveCount(5);
  await fileInput(page).setInputFiles(jsonFile('three-orchestrators-no-script.json', text));
  await expect(page).toHaveTitle('Three orchestrators, no script · HA Playground');
  await expect(page.locator('[data-node-id]')).toHaveCount(3);
  await expect(page.locator('.log-lines')).toContainText(`Operator: crash ${first.id}`, { timeout: 30_000 });
  await expect(node(page, first.id)).toHaveAttribute('data-role', 'down');
  // The address no longer claims the five-node link; a reload reopens the file's run from the autosave.
  expect(await page.evaluate(() => location.hash)).toBe('');
  await page.reload();
  await expect(page).toHaveTitle('Three orchestrators, no script · HA Playground');
});

test('a broken file names the field and the run goes on', async ({ page }) => {
  await openQuietCluster(page);
  await waitForLeader(page);
  const hash = await page.evaluate(() => location.hash);
  const broken = { ...QUIET_CLUSTER, title: 'Broken', topology: { ...QUIET_CLUSTER.topology, orchestrators: 12 } };
  await fileInput(page).setInputFiles(jsonFile('broken.json', JSON.stringify(broken)));

  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This file could not be opened');
  await expect(alert).toContainText('The scenario from the file “broken.json” is not valid');
  await expect(alert).toContainText('topology.orchestrators: must be at most 9, got 12');
  await expect(page).toHaveTitle('Three orchestrators, no script · HA Playground');
  await expect(page.locator('[data-node-id]')).toHaveCount(3);
  const shown = await clock(page);
  await expect.poll(() => clock(page)).not.toBe(shown);
  expect(await page.evaluate(() => location.hash)).toBe(hash);

  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await fileInput(page).setInputFiles(jsonFile('notes.json', '{ "version": 1, "title": '));
  await expect(page.getByRole('alert')).toContainText('not valid JSON');
  await expect(page.locator('[data-node-id]')).toHaveCount(3);
});

test('the file input is reached by Tab, and a .json dropped on the page opens', async ({ page }) => {
  await openQuietCluster(page);
  await openTools(page);
  await page.getByRole('button', { name: 'Edit scenario' }).focus();
  await page.keyboard.press('Tab');
  await expect(fileInput(page)).toBeFocused();

  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    for (const type of ['dragenter', 'dragover', 'drop']) dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  }, JSON.stringify(FIVE_NODES));
  await expect(page).toHaveTitle('Five orchestrators, no script · HA Playground');
  await expect(page.locator('[data-node-id]')).toHaveCount(5);
});

test('the editor: form and JSON in step, live errors, Apply', async ({ page }) => {
  await openQuietCluster(page);
  await waitForLeader(page);
  const dialog = await openEditor(page);
  const orchestrators = dialog.getByLabel('Orchestrators', { exact: true });
  const json = dialog.getByLabel('Scenario JSON');
  await expect(orchestrators).toHaveValue('3');

  await orchestrators.fill('5');
  await dialog.getByLabel('Fencing', { exact: true }).uncheck();
  await expect(json).toHaveValue(/"orchestrators": 5,/);
  await expect(json).toHaveValue(/"fencing": false,/);
  await expect(dialog.getByText('✓ Valid scenario')).toBeVisible();

  // Out of bounds: the parser's message beside the field, read with it.
  await orchestrators.fill('12');
  await expect(orchestrators).toHaveAttribute('aria-invalid', 'true');
  await expect(orchestrators).toHaveAccessibleDescription(/topology\.orchestrators: must be at most 9, got 12/);
  await expect(dialog.locator('.ed-json-errors')).toContainText('topology.orchestrators: must be at most 9, got 12');
  await orchestrators.fill('5');
  await expect(orchestrators).toHaveAttribute('aria-invalid', 'false');

  // Broken JSON: said at once; the form waits.
  const good = await json.inputValue();
  await json.fill(good.trimEnd().slice(0, -1));
  await expect(dialog.getByText('The JSON cannot be read:')).toBeVisible();
  await expect(dialog.locator('.ed-json-errors')).toContainText('(json): not valid JSON');
  await expect(json).toHaveAttribute('aria-invalid', 'true');
  await expect(orchestrators).toBeDisabled();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Fix the JSON to apply.')).toBeVisible();

  // The form follows the JSON.
  await json.fill(good.replace('"orchestrators": 5', '"orchestrators": 4'));
  await expect(orchestrators).toHaveValue('4');
  await json.fill(good);
  await expect(orchestrators).toHaveValue('5');
  await expect(dialog.getByText('✓ Valid scenario')).toBeVisible();

  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-node-id^="orch-"]')).toHaveCount(5);
  await waitForLeader(page);
  const again = await openEditor(page);
  await expect(again.getByLabel('Fencing', { exact: true })).not.toBeChecked();
  await expect(again.getByLabel('Orchestrators', { exact: true })).toHaveValue('5');
});

test('the editor: Escape cancels, focus stays inside, keys do not reach the run', async ({ page }) => {
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  await node(page, first.id).click();
  const dialog = await openEditor(page);
  const title = dialog.getByLabel('Title', { exact: true });
  await title.fill('Not kept');
  await dialog.getByLabel('Orchestrators', { exact: true }).fill('7');

  // Tab wraps from the last control to the first and back.
  const apply = dialog.getByRole('button', { name: 'Apply' });
  await apply.focus();
  await page.keyboard.press('Tab');
  await expect(title).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(apply).toBeFocused();
  // "c" would crash the selected node behind the dialog.
  await page.keyboard.press('c');
  await expect(node(page, first.id)).not.toHaveAttribute('data-role', 'down');

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page).toHaveTitle('Three orchestrators, no script · HA Playground');
  await expect(page.locator('[data-node-id]')).toHaveCount(3);
  const reopened = await openEditor(page);
  await expect(reopened.getByLabel('Title', { exact: true })).toHaveValue('Three orchestrators, no script');
  await reopened.getByRole('button', { name: 'Cancel' }).click();
  await expect(reopened).toBeHidden();
});

test('the editor keeps unsaved edits across a reload and offers them back', async ({ page }) => {
  await openQuietCluster(page);
  const dialog = await openEditor(page);
  await dialog.getByLabel('Title', { exact: true }).fill('Edited before the reload');
  await dialog.getByLabel('API servers', { exact: true }).fill('4');
  await page.reload();

  const notice = page.getByRole('region', { name: 'Unsaved scenario edits' });
  await expect(notice).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/editor-draft-notice.png` });
  await notice.getByRole('button', { name: 'Restore the edits' }).click();
  const restored = page.getByRole('dialog', { name: 'Edit scenario' });
  await expect(restored.getByLabel('Title', { exact: true })).toHaveValue('Edited before the reload');
  await expect(restored.getByLabel('API servers', { exact: true })).toHaveValue('4');
  await restored.getByRole('button', { name: 'Cancel' }).click();

  await page.reload();
  await expect(page.locator('[data-node-id]')).toHaveCount(3);
  await expect(page.getByRole('region', { name: 'Unsaved scenario edits' })).toHaveCount(0);
});

test('screenshots of the editor at 1280 and 390 px', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('./#preset=failover-primary-crash');
  await expect(page.locator('[data-node-id]').first()).toBeVisible();
  await pause(page);
  const dialog = await openEditor(page);
  await dialog.getByLabel('Heartbeat', { exact: true }).fill('0');
  await page.screenshot({ path: `${SHOTS}/editor-1280.png` });
  await dialog.locator('.ed-form').evaluate((el) => el.scrollTo(0, 700));
  await page.screenshot({ path: `${SHOTS}/editor-1280-scrolled.png` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await fileInput(page).setInputFiles(jsonFile('broken.json', JSON.stringify({ version: 1, topology: { orchestrators: 12 } })));
  await expect(page.getByRole('alert')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/editor-1280-bad-file.png` });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/editor-390-toolbar.png`, fullPage: true });
  const narrow = await openEditor(page);
  await narrow.getByLabel('Heartbeat', { exact: true }).fill('0');
  await page.screenshot({ path: `${SHOTS}/editor-390.png` });
  await narrow.locator('.ed-body').evaluate((el) => el.scrollTo(0, 560));
  await page.screenshot({ path: `${SHOTS}/editor-390-scrolled.png` });
  await narrow.getByLabel('Scenario JSON').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/editor-390-json.png` });
});
