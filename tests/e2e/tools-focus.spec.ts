// Proves a dialog opened from the Tools menu gives the focus back to the Tools button when it
// closes (by its own button or by Escape), not to the menu item it came from, which is hidden by then.
import { expect, test } from '@playwright/test';
import { openQuietCluster, openTools } from './helpers';

test('closing the editor or the comparison opened from Tools puts the focus back on Tools', async ({ page }) => {
  await openQuietCluster(page);
  const tools = page.getByRole('button', { name: 'Tools' });

  await openTools(page);
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit scenario' });
  await expect(editor).toBeVisible();
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(editor).toBeHidden();
  await expect(tools).toBeFocused();

  // By keyboard: Enter opens the menu on its first control, the arrows reach Compare strategies, Escape closes the dialog.
  await tools.press('Enter');
  const compare = page.getByRole('button', { name: 'Compare strategies' });
  for (let i = 0; i < 20 && !(await compare.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await expect(compare).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /Compare/ });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(tools).toBeFocused();
});
