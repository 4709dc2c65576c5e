/**
 * Failures a browser GPU throws at the app, and that it survives without losing the scan: a WebGPU device lost
 * (destroyed from the test, through tfjs in the worker, as a driver crash would) hands the run to the next backend, once, and
 * says so. Here (no GPU: WebGL is SwiftShader too) the next one is WASM. The device is lost once the model is on
 * it, before the run: SwiftShader's WebGPU takes minutes per batch here, so a loss between two batches would
 * make this the slowest test of the suite; the run meets the lost device at its first read either way.
 */
import { expect, test } from './support/test'
import { destroyWorkerGpuDevice, dropFiles, expectScanShown, openApp } from './support/app'
import { realFile, requireRealData } from './support/realData'

test.beforeEach(() => requireRealData())

test('a GPU device lost: the run finishes on the next backend, says what happened, and the scan stays', async ({ page }) => {
  test.setTimeout(300_000)
  const errors = await openApp(page, '/?backend=webgpu')
  await expectScanShown(page, await dropFiles(page, [realFile('edge/functional.nii')]), '17x21x3')
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu', { timeout: 120_000 })
  const scanBefore = await page.evaluate(() => window.strokeSeg!.scan())

  await expect(page.getByTestId('segment-button')).toBeEnabled({ timeout: 120_000 }) // the model is on the GPU
  expect(await destroyWorkerGpuDevice(page)).toBe(true)
  await page.getByTestId('segment-button').click()

  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 120_000 })
  await expect(page.getByTestId('progress-text')).toContainText(/GPU device was lost.*segmented again on wasm/i)
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm')
  await expect(page.getByTestId('backend')).toContainText('webgpu: the GPU device was lost')
  expect(await page.evaluate(() => window.strokeSeg!.scan())).toEqual(scanBefore)
  expect(await page.evaluate(() => window.strokeSeg!.mask()!.dims)).toEqual(scanBefore!.dims)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-button').click()])
  expect(download.suggestedFilename()).toMatch(/_lesion\.nii\.gz$/)
  expect(errors).toEqual([])
})
