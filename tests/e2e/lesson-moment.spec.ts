// Proves a link's moment decides the lesson step shown: a reader who walked a lesson's first steps
// earlier in this browser, then opens a link (in the page or an embed) with &t= past later steps,
// sees the step for the moment on screen, not the step they had reached before.
import { expect, test, type Page } from '@playwright/test';

async function openAt(page: Page, path: string, seconds: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator('output[aria-label="Simulated time"]')).toHaveText(seconds);
  await expect(page.locator('section.lesson[data-step]')).toBeVisible();
}

/** Walks raft-basics to its third step at 0 s, so that this browser has saved progress for it. */
async function walkFirstSteps(page: Page, search: string): Promise<void> {
  await openAt(page, `./${search}#preset=raft-basics&t=0`, '0.000 s');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.locator('section.lesson')).toHaveAttribute('data-step', '3');
}

for (const [where, search] of [
  ['an embed', '?embed=1'],
  ['the page', ''],
] as const) {
  test(`${where} opened with &t= past lesson steps shows the step for that moment, whatever was walked before`, async ({ page }) => {
    await walkFirstSteps(page, search);
    // raft-basics' steps enter at 1.6, 5.5, 6.1, 7.1, 11.5 and 13 s: at 14.5 s it is the last, step 7.
    await openAt(page, `./${search}#preset=raft-basics&t=14500`, '14.500 s');
    await expect(page.locator('section.lesson')).toHaveAttribute('data-step', '7');
  });
}
