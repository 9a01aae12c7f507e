/**
 * End-to-end tests in a real Chromium against the built site (vite preview). On machines where
 * Playwright cannot download its own browser, Debian's chromium is used; on a laptop where
 * `npx playwright install chromium` was run, Playwright's own browser is.
 */
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

function systemChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

const executablePath = systemChromium();
const CI = !!process.env.CI;
// E2E_PORT lets two checkouts run their end-to-end tests side by side on one machine.
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: '../../test-results',
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --port ${port} --strictPort`,
    cwd: '../..',
    url: `http://localhost:${port}`,
    reuseExistingServer: !CI,
    timeout: 120_000,
  },
});
