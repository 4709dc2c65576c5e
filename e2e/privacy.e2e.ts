/**
 * Nothing leaves the device: every request of a complete visit (load, DICOM conversion, segmentation on each
 * backend, export) stays on the page's origin (or is blob:/data:), and the Content-Security-Policy the app
 * runs under blocks a request to any other origin.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { dropFiles, expectScanShown, openApp } from './support/app'
import { realFile, requireRealData } from './support/realData'

test.beforeEach(() => requireRealData())

const CT_DIR = realFile('ct/ge_head_ct_tilt')

async function segmentCt(page: Page, backend: string): Promise<void> {
  await openApp(page, `/?backend=${backend}`)
  await expectScanShown(page, await dropFiles(page, readdirSync(CT_DIR).map((f) => join(CT_DIR, f))), '512x512x28')
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend, { timeout: 120_000 })
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 })
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 300_000 })
}

test('a complete visit sends no request off the page\'s origin', async ({ page, context, baseURL }) => {
  test.setTimeout(900_000)
  const origin = new URL(baseURL!).origin
  const offOrigin: string[] = []
  context.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).origin !== origin) offOrigin.push(url)
  })
  for (const backend of ['webgpu', 'webgl', 'wasm']) await segmentCt(page, backend)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-button').click()])
  expect(download.suggestedFilename()).toMatch(/_lesion\.nii\.gz$/)
  const [snapshot] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png-button').click()])
  expect(snapshot.suggestedFilename()).toMatch(/_view\.png$/)
  expect(offOrigin).toEqual([])
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
