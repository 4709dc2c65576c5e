/**
 * Nothing leaves the device. Every end-to-end test fails on a request off the page's origin (the guard in
 * support/test.ts); together they make a complete visit: load, NIfTI and DICOM (dcm2niix), segmentation on
 * WebGPU and WASM (segmentation.e2e.ts, offline.e2e.ts), corrections and export. This file adds the WebGL leg
 * on the CT DICOM series, and checks that the Content-Security-Policy blocks any other origin.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { dropFiles, expectScanShown, openApp } from './support/app'
import { realFile, requireRealData } from './support/realData'
import { expect, test } from './support/test'

test.beforeEach(() => requireRealData())

test('the CT DICOM series converts, segments on WebGL and saves, with no request off the origin', async ({ page }) => {
  test.setTimeout(300_000)
  const errors = await openApp(page, '/?backend=webgl')
  const dir = realFile('ct/ge_head_ct_tilt')
  await expectScanShown(page, await dropFiles(page, readdirSync(dir).map((f) => join(dir, f))), '512x512x28')
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgl', { timeout: 120_000 })
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 240_000 })
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-button').click()])
  expect(download.suggestedFilename()).toMatch(/_lesion\.nii\.gz$/)
  const [snapshot] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png-button').click()])
  expect(snapshot.suggestedFilename()).toMatch(/_view\.png$/)
  expect(errors).toEqual([])
})

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
