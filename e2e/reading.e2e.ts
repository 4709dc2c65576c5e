/**
 * Reading like a workstation: the lesion table's measurements against the test's own count on the real FLAIR and
 * its expert mask, the keyboard, radiological display (remembered), zoom, the crosshair, and a distance in mm.
 */
import { expect, test, type Page } from './support/test'
import { readNifti } from '../src/io/nifti/readNifti'
import { applyAffine, type Vec3 } from '../src/volume/affine'
import { connectedComponents } from '../src/volume/connectedComponents'
import { canvasPicture, changedFraction, drag, dropFiles, expectScanShown, LINE, openApp, pickFiles } from './support/app'
import { readRealFile } from '../testing/realData'
import { realFile, requireRealData } from './support/realData'

const FLAIR = 'lesion/niivue_flair/FLAIR.nii.gz'
const EXPERT = 'lesion/niivue_flair/lesion.nii.gz'

async function openFlairWithMask(page: Page): Promise<string[]> {
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [realFile(FLAIR)]), '124x160x140')
  expect((await pickFiles(page, 'mask-input', realFile(EXPERT))).kind).toBe('info')
  return errors
}

const readoutMm = async (page: Page) => ((await page.getByTestId('crosshair-readout').getAttribute('data-mm')) ?? '').split(',').map(Number) as unknown as Vec3
const readoutVoxel = async (page: Page) => ((await page.getByTestId('crosshair-readout').getAttribute('data-voxel')) ?? '').split(',').map(Number) as unknown as Vec3

test('the lesion table gives the largest lesion\'s volume, diameter, slices and mean value as counted here', async ({ page }) => {
  requireRealData()
  const scan = readNifti(readRealFile(FLAIR), FLAIR).volume
  const mask = readNifti(readRealFile(EXPERT), EXPERT).volume
  const { labels, sizes } = connectedComponents(mask.data, mask.dims)
  const largest = sizes.indexOf(Math.max(...sizes.slice(1)))
  const [nx, ny] = mask.dims
  const voxels: number[] = []
  labels.forEach((label, index) => label === largest && voxels.push(index))
  const points = voxels.map((index) => applyAffine(mask.affine, [index % nx, Math.floor(index / nx) % ny, Math.floor(index / (nx * ny))]))
  let diameter = 0 // every pair: the exact largest distance between voxel centres
  for (let a = 0; a < points.length; a++) {
    for (let b = a + 1; b < points.length; b++) diameter = Math.max(diameter, (points[a][0] - points[b][0]) ** 2 + (points[a][1] - points[b][1]) ** 2 + (points[a][2] - points[b][2]) ** 2)
  }
  const ks = voxels.map((index) => Math.floor(index / (nx * ny)))
  const mean = voxels.reduce((sum, index) => sum + scan.data[index], 0) / voxels.length

  const errors = await openFlairWithMask(page)
  const cells = await page.getByTestId('lesion-list').locator('tbody tr').first().locator('td').allTextContents()
  const [, ml, shownDiameter, slices, side, shownMean] = cells
  const voxelMl = mask.spacing.reduce((a, b) => a * b, 1) / 1000
  expect(Number(ml)).toBeCloseTo(voxels.length * voxelMl, 2)
  expect(Math.abs(Number(shownDiameter) - Math.sqrt(diameter)) / Math.sqrt(diameter)).toBeLessThan(0.01)
  expect(slices).toBe(`${Math.min(...ks)}–${Math.max(...ks)}`)
  expect(['left', 'right', 'both sides']).toContain(side)
  expect(Number(shownMean)).toBeCloseTo(mean, 1)
  expect(errors).toEqual([])
})

test('keys for the tools, undo, slices, the mask and the help; radiological display is remembered; zoom; crosshair', async ({ page }) => {
  requireRealData()
  test.setTimeout(180_000)
  const errors = await openFlairWithMask(page)
  await page.getByTestId('view-axial').click()
  const body = page.locator('body')

  // Tools and undo.
  await body.press('p')
  await expect(page.getByTestId('tool-pen')).toHaveAttribute('aria-pressed', 'true')
  await drag(page, LINE)
  await expect(page.getByTestId('edit-count')).toHaveText('1 correction')
  await body.press('Control+z')
  await expect(page.getByTestId('edit-count')).toHaveCount(0)
  await body.press('n')
  await expect(page.getByTestId('tool-navigate')).toHaveAttribute('aria-pressed', 'true')

  // Slices: one up, one down, in the axial view.
  const before = await readoutVoxel(page)
  await body.press('ArrowUp')
  await expect.poll(async () => (await readoutVoxel(page))[2]).not.toBe(before[2])
  const up = await readoutVoxel(page)
  await body.press('ArrowDown')
  await expect.poll(() => readoutVoxel(page)).toEqual(before)
  expect(Math.abs(up[2] - before[2])).toBe(1)

  // The mask's visibility, and the help.
  await body.press('m')
  await expect(page.getByTestId('mask-visible')).not.toBeChecked()
  await body.press('m')
  await expect(page.getByTestId('mask-visible')).toBeChecked()
  await body.press('?')
  await expect(page.getByTestId('keyboard-help')).toContainText('undo the last correction')
  await page.getByTestId('keyboard-help-close').click()
  await expect(page.getByTestId('keyboard-help')).toHaveCount(0)

  // Radiological display mirrors the views and is remembered after a reload.
  const neurological = await canvasPicture(page)
  await page.getByTestId('radiological-toggle').check()
  expect(changedFraction(neurological, await canvasPicture(page))).toBeGreaterThan(0.05)
  await page.reload()
  await expect(page.locator('[data-viewer-ready="1"]')).toBeVisible()
  await expect(page.getByTestId('radiological-toggle')).toBeChecked()
  await page.getByTestId('radiological-toggle').uncheck()

  // Zoom in changes the picture; back to the whole slice gives the first picture again. The crosshair can go.
  await expectScanShown(page, await dropFiles(page, [realFile(FLAIR)]), '124x160x140')
  await page.getByTestId('view-axial').click()
  const whole = await canvasPicture(page)
  await page.getByTestId('zoom-in').click()
  await page.getByTestId('zoom-in').click()
  expect(changedFraction(whole, await canvasPicture(page))).toBeGreaterThan(0.2)
  await page.getByTestId('zoom-reset').click()
  expect(changedFraction(whole, await canvasPicture(page))).toBe(0)
  await page.getByTestId('crosshair-style').selectOption('hidden')
  const withoutCrosshair = await canvasPicture(page)
  expect(changedFraction(whole, withoutCrosshair)).toBeGreaterThan(0)
  await page.getByTestId('crosshair-style').selectOption('thick')
  expect(changedFraction(withoutCrosshair, await canvasPicture(page))).toBeGreaterThan(changedFraction(whole, withoutCrosshair))
  expect(errors).toEqual([])
})

test('a distance measured on the axial view is the distance between its two ends in mm', async ({ page }) => {
  requireRealData()
  const errors = await openFlairWithMask(page)
  await page.getByTestId('view-axial').click()
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!
  const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const
  // Where the two ends are in mm: a click in navigate mode puts the crosshair there.
  await page.mouse.click(...at(0.35, 0.4))
  await expect.poll(() => readoutMm(page)).not.toEqual([0, 0, 0])
  const start = await readoutMm(page)
  await page.mouse.click(...at(0.62, 0.66))
  await expect.poll(() => readoutMm(page)).not.toEqual(start)
  const end = await readoutMm(page)

  await page.getByTestId('tool-measure').click()
  await drag(page, [[0.35, 0.4], [0.62, 0.66]])
  await expect(page.getByTestId('measurements')).toBeVisible()
  const measured = Number(await page.getByTestId('measurements').getAttribute('data-mm'))
  const expected = Math.hypot(end[0] - start[0], end[1] - start[1], end[2] - start[2])
  expect(expected).toBeGreaterThan(40)
  expect(Math.abs(measured - expected)).toBeLessThan(2) // the readout snaps to voxels of 1 mm
  await page.getByTestId('clear-measurements').click()
  await expect(page.getByTestId('measurements')).toHaveCount(0)
  expect(errors).toEqual([])
})
