/**
 * Nothing leaves the device. Every end-to-end test fails on a request off the page's origin (the guard in
 * support/test.ts); together they make a complete visit: load, NIfTI and DICOM (dcm2niix), segmentation on
 * WebGPU and WASM (segmentation.e2e.ts, offline.e2e.ts) and WebGL (failures.e2e.ts), corrections and export.
 * Here: the Content-Security-Policy the app runs under blocks any other origin.
 */
import { openApp } from './support/app'
import { expect, test } from './support/test'

test('the Content-Security-Policy is in the page and blocks a request to another origin', async ({ page }) => {
  await openApp(page)
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
  expect(policy).toContain("connect-src 'self' blob: data:")
  expect(policy).not.toMatch(/https?:/)
  // Another origin on this machine's loopback: the policy must stop the request before it is sent.
  const outcome = await page.evaluate(async () => {
    const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }))
    const fetched = await fetch('http://127.0.0.2:9/probe').then(() => 'sent', () => 'refused')
    return { fetched, violated: await violation }
  })
  expect(outcome).toEqual({ fetched: 'refused', violated: 'connect-src' })
})
