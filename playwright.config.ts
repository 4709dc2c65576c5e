import { defineConfig } from '@playwright/test'
import { CHROMIUM_PATH, chromiumArgs } from './testing/chromium'

const PORT = 4173

/**
 * End-to-end tests run against a production build in test mode (`vite build --mode test`: the same bundle
 * plus window.strokeSeg, src/ui/automation.ts), served by `vite preview`, in Debian's Chromium (never a
 * downloaded browser).
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.e2e.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1, // the tests are CPU-bound (WASM, SwiftShader): two workers on two cores ran each test 1.8x slower and the suite 20.4 against 22.3 min
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: chromiumArgs() },
    viewport: { width: 1280, height: 800 },
    // Actions and DOM snapshots kept for a failure, without the screencast: its frames of the WebGL canvas cost ~20 % of the suite's time.
    trace: { mode: 'retain-on-failure', screenshots: false },
  },
  webServer: {
    command: `npx vite build --mode test && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
})
