/**
 * Failures a browser GPU throws at the app, and that it survives without losing the scan: a WebGPU device lost
 * in the middle of a segmentation (destroyed through the automation hook, as a driver crash would) hands the run
 * to the next backend, once, and says so. It is also the privacy suite's WebGL leg: the CT DICOM series converted,
 * segmented on WebGL and saved, with every request on the page's origin (support/test.ts), and the mask WebGL
 * made (the scan kept on the GPU) checked against WASM's (the scan sliced in main memory).
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { dropFiles, expectScanShown, maskRuns, openApp, voxelsOfRuns } from './support/app'
import { realFile, requireRealData } from './support/realData'
import { expect, test } from './support/test'

test.beforeEach(() => requireRealData())

test('a GPU device lost mid-run: the run finishes on WebGL, says what happened, and the scan stays', async ({ page }) => {
  test.setTimeout(400_000)
  const errors = await openApp(page)
  const dir = realFile('ct/ge_head_ct_tilt')
  await expectScanShown(page, await dropFiles(page, readdirSync(dir).map((f) => join(dir, f))), '512x512x28')
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu', { timeout: 120_000 })
  const scanBefore = await page.evaluate(() => window.strokeSeg!.scan())

  await page.getByTestId('segment-button').click()
  const progress = page.getByTestId('progress')
  await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 180_000 }).toBeGreaterThan(0)
  expect(await page.evaluate(() => window.strokeSeg!.destroyGpuDevice())).toBe(true)

  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 300_000 })
  await expect(page.getByTestId('progress-text')).toContainText(/GPU device was lost.*segmented again on webgl/i)
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgl')
  expect(await page.evaluate(() => window.strokeSeg!.scan())).toEqual(scanBefore)
  expect(await page.evaluate(() => window.strokeSeg!.mask()!.dims)).toEqual(scanBefore!.dims)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-button').click()])
  expect(download.suggestedFilename()).toMatch(/_lesion\.nii\.gz$/)
  const [snapshot] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png-button').click()])
  expect(snapshot.suggestedFilename()).toMatch(/_view\.png$/)
  expect(errors).toEqual([])

  // WebGL kept the scan on the GPU (cut, resampled and thresholded there): WASM, sliced in main memory, agrees.
  const onWebgl = voxelsOfRuns(await maskRuns(page))
  await openApp(page, '/?backend=wasm')
  await expectScanShown(page, await dropFiles(page, readdirSync(dir).map((f) => join(dir, f))), '512x512x28')
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 })
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 120_000 })
  const onWasm = voxelsOfRuns(await maskRuns(page))
  expect(onWasm.length).toBe(onWebgl.length)
  const differing = onWasm.reduce((n, v, i) => n + (v === onWebgl[i] ? 0 : 1), 0)
  expect(1 - differing / onWasm.length).toBeGreaterThanOrEqual(0.999)
  expect(differing).toBeLessThanOrEqual(0.01 * onWasm.reduce((n, v) => n + v, 0) + 50) // within 1 % of the lesion itself
})
