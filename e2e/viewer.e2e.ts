import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './support/test'
import { canvasPicture, changedFraction, dropFiles, expectScanShown, openApp, pickFiles } from './support/app'
import { realFile, requireRealData } from './support/realData'

test.beforeEach(() => requireRealData())

test('an empty viewer invites a drop and offers a file picker', async ({ page }) => {
  const errors = await openApp(page)
  await expect(page.getByText('Drop a scan here')).toBeVisible()
  await expect(page.getByTestId('file-input')).toHaveAttribute('multiple', '')
  await expect(page.getByTestId('export-png-button')).toBeDisabled() // no view to save yet
  // Under the invitation the canvas is empty: niivue writes no "loading ..." on it.
  await page.locator('.drop-target__hint').evaluate((hint: HTMLElement) => (hint.style.visibility = 'hidden'))
  expect((await canvasPicture(page, 2)).distinctValues).toBe(1)
  expect(errors).toEqual([]) // the favicon is there too

})

test('a T1 NIfTI opens by drop and by the file input, and the canvas shows it', async ({ page }) => {
  const errors = await openApp(page)
  const blank = await canvasPicture(page)
  await expectScanShown(page, await dropFiles(page, [realFile('mri_t1/chris_t1.nii.gz')]), '188x256x190')
  await expect(page.getByTestId('volume-info')).toContainText('188x256x190')
  const shown = await canvasPicture(page)
  expect(shown.distinctValues).toBeGreaterThan(50)
  expect(changedFraction(blank, shown)).toBeGreaterThan(0.1)

  await page.reload()
  await expect(page.locator('[data-viewer-ready="1"]')).toBeVisible()
  await expectScanShown(page, await pickFiles(page, 'file-input', realFile('mri_t1/chris_t1.nii.gz')), '188x256x190')
  expect((await canvasPicture(page)).distinctValues).toBeGreaterThan(50)
  expect(errors).toEqual([])
})

test('the 28-file tilted head CT series converts through dcm2niix and offers CT presets', async ({ page }) => {
  const errors = await openApp(page)
  const dir = realFile('ct/ge_head_ct_tilt')
  const status = await dropFiles(page, readdirSync(dir).map((f) => join(dir, f)))
  expect(status.kind, status.text).toBe('info')
  const info = page.getByTestId('volume-info')
  await expect(info).toHaveAttribute('data-modality', 'CT')
  // dcm2niix reports the tilt and the uneven spacing (and writes resampled copies); the slices as acquired are shown.
  await expect(info).toHaveAttribute('data-dims', '512x512x28')
  expect(status.text).toContain('dcm2niix reports gantry tilt and uneven slice spacing')
  await expect(page.getByTestId('preset-brain')).toBeVisible()
  const windowLevel = page.getByTestId('window-level')
  await expect(windowLevel).toHaveText('W 80 / L 40 (brain)') // CT opens in the brain window, and says which
  await page.getByTestId('preset-stroke').click()
  await expect(windowLevel).toHaveText('W 40 / L 40 (stroke)')
  await expect(page.getByTestId('preset-stroke')).toHaveAttribute('aria-pressed', 'true')
  // A right-drag changes the window, and the label follows it live.
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.25)
  await page.mouse.down({ button: 'right' })
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.35, { steps: 5 })
  await expect(windowLevel).not.toHaveText('W 40 / L 40 (stroke)')
  await page.mouse.up({ button: 'right' })
  await expect(windowLevel).toHaveAttribute('data-preset', '')
  await expect(page.getByTestId('preset-stroke')).toHaveAttribute('aria-pressed', 'false')
  // A CT value is read in Hounsfield units.
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.25)
  await expect(page.getByTestId('crosshair-readout')).toContainText(/value -?\d+(\.\d+)? HU/)
  // The CT model was never checked on a real CT with a lesion mask: the panel says so before any run.
  await expect(page.getByTestId('model-fit')).toContainText('never checked on a real CT scan with a lesion mask', { timeout: 120_000 })
  expect(errors).toEqual([])
})

test('a lesion mask overlays the FLAIR and the opacity slider changes the picture', async ({ page }) => {
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [realFile('lesion/niivue_flair/FLAIR.nii.gz')]), '124x160x140')
  const maskStatus = await pickFiles(page, 'mask-input', realFile('lesion/niivue_flair/lesion.nii.gz'))
  expect(maskStatus.kind, maskStatus.text).toBe('info')
  await expect(page.getByTestId('mask-info')).toContainText('32481 voxels')
  const slider = page.getByTestId('opacity-slider')
  await slider.fill('100')
  const opaque = await canvasPicture(page)
  await slider.fill('0')
  const transparent = await canvasPicture(page)
  expect(changedFraction(opaque, transparent)).toBeGreaterThan(0.001)
  await slider.fill('100')
  await page.getByTestId('mask-visible').uncheck()
  expect(changedFraction(opaque, await canvasPicture(page))).toBeGreaterThan(0.001)
  expect(errors).toEqual([])
})
