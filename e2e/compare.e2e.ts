/**
 * Comparing two masks of one scan, as a reader checks a colleague's or an expert's: the real FLAIR with its
 * expert lesion mask as the reference, beside a mask the test edits; the comparison line must give the Dice and
 * the voxel counts that the test computes itself from the two masks.
 */
import { expect, test, type Page } from './support/test'
import { readNifti } from '../src/io/nifti/readNifti'
import { confusion } from '../src/model/metrics/segmentationMetrics'
import { binaryMaskFrom } from '../src/volume/volume'
import { canvasPicture, changedFraction, drag, dropFiles, expectScanShown, LINE, maskRuns, openApp, pickFiles, SQUARE, voxelsOfRuns } from './support/app'
import { readRealFile } from '../testing/realData'
import { realFile, requireRealData } from './support/realData'

const FLAIR = 'lesion/niivue_flair/FLAIR.nii.gz'
const EXPERT = 'lesion/niivue_flair/lesion.nii.gz'

/** What the comparison line shows: Dice (4 decimals in its data) and the voxels in one mask only. */
async function shownComparison(page: Page) {
  const line = page.getByTestId('mask-comparison')
  return { dice: await line.getAttribute('data-dice'), onlyA: Number(await line.getAttribute('data-only-a')), onlyB: Number(await line.getAttribute('data-only-b')) }
}

test('a reference mask beside the edited one: its own colour and visibility, and a Dice that follows each correction', async ({ page }) => {
  requireRealData()
  test.setTimeout(180_000)
  const expert = binaryMaskFrom(readNifti(readRealFile(EXPERT), EXPERT).volume).data
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [realFile(FLAIR)]), '124x160x140')
  await page.getByTestId('view-axial').click()

  // The expert's mask as the reference, before any mask to compare with.
  const referenceShown = await pickFiles(page, 'reference-mask-input', realFile(EXPERT))
  expect(referenceShown).toMatchObject({ kind: 'info', text: 'Reference lesion.nii.gz shown beside the mask.' })
  await expect(page.getByTestId('reference-mask')).toContainText('No mask to compare with yet')

  // The same file as the edited mask: they agree everywhere.
  expect((await pickFiles(page, 'mask-input', realFile(EXPERT))).kind).toBe('info')
  await expect(page.getByTestId('mask-comparison')).toHaveAttribute('data-dice', '1.0000')
  expect(await shownComparison(page)).toMatchObject({ onlyA: 0, onlyB: 0 })

  // Pen across the axial view: the Dice the panel shows is the Dice of the two masks, counted here.
  await page.getByTestId('tool-pen').click()
  await drag(page, LINE)
  await expect(page.getByTestId('mask-comparison')).not.toHaveAttribute('data-dice', '1.0000')
  await page.getByTestId('tool-eraser').click()
  await drag(page, SQUARE)
  await expect.poll(async () => (await shownComparison(page)).onlyB).toBeGreaterThan(0)
  const edited = voxelsOfRuns(await maskRuns(page))
  const { tp, fp, fn } = confusion(edited, expert)
  expect(fp, 'the pen added voxels the expert did not mark').toBeGreaterThan(0)
  expect(await shownComparison(page)).toEqual({ dice: ((2 * tp) / (2 * tp + fp + fn)).toFixed(4), onlyA: fp, onlyB: fn })

  // Each mask has its own show/hide: hiding the reference changes the picture, hiding it again changes nothing more.
  await page.getByTestId('mask-visible').uncheck()
  const both = await canvasPicture(page)
  await page.getByTestId('reference-visible').uncheck()
  const withoutReference = await canvasPicture(page)
  expect(changedFraction(both, withoutReference)).toBeGreaterThan(0.001)
  await page.getByTestId('reference-opacity-slider').fill('100')
  expect(changedFraction(withoutReference, await canvasPicture(page))).toBe(0)

  // The lesion list shows either mask's lesions.
  await page.getByTestId('list-reference').click()
  await expect(page.getByTestId('lesion-list')).toHaveAttribute('data-listed', 'reference')
  await page.getByTestId('list-mask').click()
  await expect(page.getByTestId('lesion-list')).toHaveAttribute('data-listed', 'mask')

  // A reference on another grid is refused with the reason; the edited mask and the reference stay.
  const refused = await pickFiles(page, 'reference-mask-input', realFile('lesion/clinical_t2/lesionT2.nii'))
  expect(refused.kind).toBe('error')
  expect(refused.text).toContain("not on the scan's grid")
  expect(voxelsOfRuns(await maskRuns(page))).toEqual(edited)
  await expect(page.getByTestId('reference-mask')).toContainText('lesion.nii.gz')

  await page.getByTestId('remove-reference-button').click()
  await expect(page.getByTestId('reference-mask')).toHaveCount(0)
  expect(errors).toEqual([])
})
