import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './support/test'
import { canvasPicture, changedFraction, dropFiles, dropOneAfterAnother, expectScanShown, openApp, pickFiles } from './support/app'
import { readNifti } from '../src/io/nifti/readNifti'
import { writeNifti } from '../src/io/nifti/writeNifti'
import { countNonZero } from '../src/volume/volume'
import { FIXTURE_DIMS, FIXTURE_LESION, FIXTURE_SCAN } from '../testing/fixtures/makeFixtures'
import { realFile, requireRealData } from './support/realData'

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
  requireRealData()
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
  requireRealData()
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
  await expectScanShown(page, await dropFiles(page, [FIXTURE_SCAN]), '90x108x40')
  const maskStatus = await pickFiles(page, 'mask-input', FIXTURE_LESION)
  expect(maskStatus.kind, maskStatus.text).toBe('info')
  const lesionVoxels = countNonZero(readNifti(new Uint8Array(readFileSync(FIXTURE_LESION)), 'lesion').volume.data)
  await expect(page.getByTestId('mask-info')).toContainText(`${lesionVoxels} voxels`)
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

test('a scan dropped while another is still being read wins: the later drop is the one shown', async ({ page }) => {
  // The first file is large (32 MB of float voxels: slow to read), the second the small fixture (quick).
  const large = join(mkdtempSync(join(tmpdir(), 'strokeseg-')), 'large.nii')
  const dims = [256, 256, 128] as const
  const data = Float32Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, i) => (i * 7919) % 1000)
  writeFileSync(large, writeNifti({ name: 'large', dims, spacing: [1, 1, 1], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], data, datatype: 'float32', scaling: null, modality: 'MR' }, { gzip: false }))
  const errors = await openApp(page)
  // Every scan the panel shows, as it shows it.
  await page.evaluate(() => {
    const shown: string[] = ((window as unknown as { shownDims: string[] }).shownDims = [])
    const info = () => document.querySelector('[data-testid="volume-info"]')?.getAttribute('data-dims')
    new MutationObserver(() => {
      const dims = info()
      if (dims && dims !== shown.at(-1)) shown.push(dims)
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-dims'] })
  })
  await expectScanShown(page, await dropOneAfterAnother(page, [[large], [FIXTURE_SCAN]]), FIXTURE_DIMS.join('x'))
  await page.waitForTimeout(5_000) // time for the large file to be read and shown, had it not been dropped
  expect(await page.evaluate(() => (window as unknown as { shownDims: string[] }).shownDims)).toEqual([FIXTURE_DIMS.join('x')])
  expect(await page.evaluate(() => window.strokeSeg!.scan()!.dims)).toEqual([...FIXTURE_DIMS])
  expect(errors).toEqual([])
})
