/**
 * The installed app with no network at all: after one visit the service worker has everything (shell,
 * workers, WASM, models); offline, a NIfTI and a DICOM series open, segmentation runs and the mask saves, and
 * every response comes from the service worker. A new version waits until the user reloads into it; the
 * install button answers the browser's install offer.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './support/test'
import { dropFiles, expectScanShown, openApp } from './support/app'
import { realFile, requireRealData } from './support/realData'

test.beforeEach(() => requireRealData())

/** The service worker of the build the preview server serves (playwright.config.ts builds it). */
const BUILT_SERVICE_WORKER = 'dist/sw.js'

test('after one visit, everything works offline and comes from the service worker', async ({ page, context }) => {
  test.setTimeout(300_000)
  const errors = await openApp(page, '/?backend=wasm')
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 120_000 })

  await context.setOffline(true)
  const notFromServiceWorker: string[] = []
  context.on('response', (response) => {
    const url = response.url()
    if (!response.fromServiceWorker() && !url.startsWith('blob:') && !url.startsWith('data:')) notFromServiceWorker.push(url)
  })
  const reloaded = await page.reload()
  expect(reloaded?.fromServiceWorker()).toBe(true)
  await expect(page.locator('[data-viewer-ready="1"]')).toBeVisible()
  expect(await page.evaluate(() => fetch('/not-cached-anywhere').then(() => 'fetched', () => 'failed'))).toBe('failed') // really offline

  await expectScanShown(page, await dropFiles(page, [realFile('lesion/niivue_flair/FLAIR.nii.gz')]), '124x160x140')
  const dir = realFile('ct/ge_head_ct_tilt')
  await expectScanShown(page, await dropFiles(page, readdirSync(dir).map((f) => join(dir, f))), '512x512x28') // dcm2niix's WASM, offline

  await expect(page.getByTestId('model-card')).toContainText('StrokeSeg CT', { timeout: 90_000 })
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 180_000 })
  await expect(page.getByTestId('lesion-volume')).toContainText('mL')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-button').click()])
  expect(download.suggestedFilename()).toMatch(/_lesion\.nii\.gz$/)

  expect(notFromServiceWorker).toEqual([])
  expect(errors).toEqual([])
})

test('a new version waits for the user, who reloads into it; installation is offered when the browser allows it', async ({ page }) => {
  test.setTimeout(180_000)
  const errors = await openApp(page, '/?backend=wasm')
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 120_000 })
  await page.reload() // a returning visit: the service worker controls the page, so a new one has to wait
  await expect(page.locator('[data-viewer-ready="1"]')).toBeVisible()
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)
  await expect(page.getByTestId('update-button')).toBeHidden()

  // The next deploy: the built service worker with one precache revision changed. Same length, because the
  // preview server keeps each file's size from its start; the worker script is put back afterwards.
  const serviceWorker = readFileSync(BUILT_SERVICE_WORKER, 'utf8')
  const nextDeploy = serviceWorker.replace(/(url:"manifest\.webmanifest",revision:")(.)/, (_, before: string, digit: string) => `${before}${digit === '0' ? '1' : '0'}`)
  expect(nextDeploy).not.toBe(serviceWorker)
  writeFileSync(BUILT_SERVICE_WORKER, nextDeploy)
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update())
    await expect(page.getByTestId('update-button')).toBeVisible({ timeout: 60_000 }) // installed, waiting for the user
  } finally {
    writeFileSync(BUILT_SERVICE_WORKER, serviceWorker)
  }
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting !== null)).toBe(true)
  await Promise.all([page.waitForEvent('load'), page.getByTestId('update-button').click()])
  await expect(page.locator('[data-viewer-ready="1"]')).toBeVisible()
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('update-button')).toBeHidden()
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull()

  // Chromium fires beforeinstallprompt only after its engagement checks; the app's answer to it is what we test.
  await expect(page.getByTestId('install-button')).toBeHidden()
  await page.evaluate(() => {
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: () => {
        ;(window as unknown as { prompted: boolean }).prompted = true
        return Promise.resolve()
      },
    })
    window.dispatchEvent(offer)
  })
  await page.getByTestId('install-button').click()
  expect(await page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true)
  await expect(page.getByTestId('install-button')).toBeHidden()
  expect(errors).toEqual([])
})
