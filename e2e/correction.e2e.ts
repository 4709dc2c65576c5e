/**
 * Correcting a mask by hand in the viewer: pen, eraser, fill and undo with real mouse drags on the axial
 * view, the lesion volume following each edit, and the export carrying the corrected voxels.
 */
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from './support/test'
import { readNifti } from '../src/io/nifti/readNifti'
import { runLengths } from '../src/volume/volume'
import { drag, dropFiles, expectScanShown, LINE, maskRuns, openApp, pickFiles, SQUARE } from './support/app'
import { FIXTURE_DIMS, FIXTURE_LESION, FIXTURE_SCAN } from '../testing/fixtures/makeFixtures'

// The committed synthetic FLAIR and its lesion mask: these tests need nothing from ../shared.
const FLAIR = FIXTURE_SCAN
const LESION = FIXTURE_LESION

const lesionVoxels = (page: Page) => page.evaluate(() => window.strokeSeg!.maskLesionVoxels()!)

/** Waits for the panel to show a voxel count other than `before`, and returns it. */
async function countAfterEdit(page: Page, before: number): Promise<number> {
  await expect.poll(() => lesionVoxels(page)).not.toBe(before)
  const count = await lesionVoxels(page)
  await expect(page.getByTestId('mask-info')).toContainText(`${count} voxels`)
  return count
}

/** The lesion volume in the panel is the voxel count times the scan's voxel volume. */
async function expectVolumeOf(page: Page, voxels: number): Promise<void> {
  const scan = await page.evaluate(() => window.strokeSeg!.scan()!)
  const voxelMl = scan.spacing.reduce((a, b) => a * b, 1) / 1000
  await expect.poll(async () => Number(await page.getByTestId('lesion-volume').getAttribute('data-ml'))).toBeCloseTo(voxels * voxelMl, 2)
}

test('pen, eraser, fill and undo change the mask voxels and its volume; the export has the corrections', async ({ page }) => {
  test.setTimeout(240_000)
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [FLAIR]), '90x108x40')
  expect((await pickFiles(page, 'mask-input', LESION)).kind).toBe('info')
  await page.getByTestId('view-axial').click()
  const original = await maskRuns(page)
  const originalCount = await lesionVoxels(page)
  await expect(page.getByTestId('undo-button')).toBeDisabled()

  // Pen: a line across the brain adds lesion voxels; the volume follows.
  await page.getByTestId('tool-pen').click()
  await page.getByTestId('pen-size').fill('3')
  await drag(page, LINE)
  const afterPen = await countAfterEdit(page, originalCount)
  expect(afterPen).toBeGreaterThan(originalCount)
  await expectVolumeOf(page, afterPen)
  await expect(page.getByTestId('edit-count')).toHaveText('1 correction')

  // Eraser along the same line takes them away again (and the lesion it crosses).
  await page.getByTestId('tool-eraser').click()
  await drag(page, LINE)
  const afterEraser = await countAfterEdit(page, afterPen)
  expect(afterEraser).toBeLessThan(afterPen)
  await expectVolumeOf(page, afterEraser)

  // Undo twice: exactly the voxels of the file again.
  await page.getByTestId('undo-button').click()
  await expect.poll(() => lesionVoxels(page)).toBe(afterPen)
  await page.getByTestId('undo-button').click()
  await expect.poll(() => lesionVoxels(page)).toBe(originalCount)
  expect(await maskRuns(page)).toEqual(original)
  await expect(page.getByTestId('undo-button')).toBeDisabled()
  await expectVolumeOf(page, originalCount)

  // Fill: a closed outline is filled, so it adds far more than the same outline drawn with the pen.
  await page.getByTestId('pen-size').fill('1')
  await page.getByTestId('tool-pen').click()
  await drag(page, SQUARE)
  const outlineAdded = (await countAfterEdit(page, originalCount)) - originalCount
  await page.getByTestId('undo-button').click()
  await expect.poll(() => lesionVoxels(page)).toBe(originalCount)
  await page.getByTestId('tool-fill').click()
  await drag(page, SQUARE)
  const filledAdded = (await countAfterEdit(page, originalCount)) - originalCount
  expect(filledAdded).toBeGreaterThan(3 * outlineAdded)

  // Navigate: a drag moves the crosshair and edits nothing.
  await page.getByTestId('tool-navigate').click()
  const beforeNavigate = await maskRuns(page)
  await drag(page, LINE)
  expect(await maskRuns(page)).toEqual(beforeNavigate)

  // The saved mask is the corrected one, on the scan's grid.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-button').click()])
  const exported = readNifti(new Uint8Array(readFileSync(await download.path())), 'export').volume
  expect(exported.dims).toEqual([...FIXTURE_DIMS])
  expect(runLengths(exported.data)).toEqual(beforeNavigate)
  expect(errors).toEqual([])
})

test('a drawing tool on a scan without a mask starts an empty mask; segmenting over corrections asks first', async ({ page }) => {
  test.setTimeout(180_000)
  const errors = await openApp(page, '/?backend=wasm')
  await expectScanShown(page, await dropFiles(page, [FLAIR]), '90x108x40')
  await page.getByTestId('view-axial').click()
  await page.getByTestId('tool-pen').click()
  await expect(page.getByTestId('mask-info')).toContainText('drawn by hand: 0 voxels')
  await drag(page, LINE)
  const drawn = await countAfterEdit(page, 0)
  expect(drawn).toBeGreaterThan(0)
  await expectVolumeOf(page, drawn)
  await expect(page.getByTestId('crosshair-readout')).toContainText(/ · mask [01]$/) // the crosshair's mask value follows the stroke
  const corrected = await maskRuns(page)

  // Segment now would replace the corrections: the app asks, and "keep" keeps every voxel.
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('resegment-confirm')).toContainText('1 correction')
  await page.getByTestId('keep-mask').click()
  await expect(page.getByTestId('resegment-confirm')).toBeHidden()
  expect(await maskRuns(page)).toEqual(corrected)
  await expect(page.getByTestId('segment-panel')).toHaveAttribute('data-run', '0')

  // "Replace" runs the segmentation, whose mask takes the place of the corrected one.
  await page.getByTestId('segment-button').click()
  await page.getByTestId('confirm-resegment').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 120_000 })
  await expect(page.getByTestId('mask-info')).toContainText('segmentation')
  await expect(page.getByTestId('edit-count')).toBeHidden()
  expect(await maskRuns(page)).not.toEqual(corrected)
  expect(errors).toEqual([])
})

test('corrections are saved as they happen: after a reload, dropping the same scan restores the same voxels', async ({ page }) => {
  test.setTimeout(180_000)
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [FLAIR]), '90x108x40')
  await expect(page.locator('[data-draft-looked-up="1"]')).toBeVisible()
  await page.getByTestId('view-axial').click()
  await page.getByTestId('tool-pen').click()
  await drag(page, LINE)
  await countAfterEdit(page, 0)
  await drag(page, SQUARE)
  const corrected = await maskRuns(page)
  const correctedCount = await lesionVoxels(page)

  await page.reload()
  await expectScanShown(page, await dropFiles(page, [FLAIR]), '90x108x40')
  await expect(page.getByTestId('draft-offer')).toContainText(`${correctedCount} lesion voxels`)
  await page.getByTestId('restore-draft').click()
  await expect(page.getByTestId('draft-offer')).toHaveCount(0)
  await expect.poll(() => lesionVoxels(page)).toBe(correctedCount)
  expect(await maskRuns(page)).toEqual(corrected)

  // Discarded corrections are not offered again.
  await page.reload()
  await expectScanShown(page, await dropFiles(page, [FLAIR]), '90x108x40')
  await page.getByTestId('discard-draft').click()
  await expect(page.getByTestId('draft-offer')).toHaveCount(0) // deleted from the browser's storage by then
  await page.reload()
  await expectScanShown(page, await dropFiles(page, [FLAIR]), '90x108x40')
  await expect(page.locator('[data-draft-looked-up="1"]')).toBeVisible()
  await expect(page.getByTestId('draft-offer')).toHaveCount(0)
  expect(errors).toEqual([])
})
