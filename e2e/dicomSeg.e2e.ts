/**
 * The mask back to the PACS: a mask drawn on the real tilted head CT series is exported as a DICOM SEG, which an
 * independent reader (pydicom, testing/check_dicom_seg.py) checks against the series and the same mask saved as
 * NIfTI; dropped again with its series, or picked as a mask over the series, the SEG shows the same voxels.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './support/test'
import { drag, dropFiles, expectScanShown, LINE, maskRuns, openApp, pickFiles, SQUARE } from './support/app'
import { realFile, requireRealData } from './support/realData'

const PYTHON = '/usr/bin/python3' // Debian's, with python3-pydicom, -numpy and -nibabel (.ci/run installs them)

test('a mask drawn on the CT series goes out as a DICOM SEG that pydicom reads as our voxels, and comes back; alone it is refused', async ({ page }) => {
  requireRealData()
  test.setTimeout(240_000)
  const dir = realFile('ct/ge_head_ct_tilt')
  const series = readdirSync(dir).map((f) => join(dir, f))
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, series), '512x512x28')
  await expect(page.getByTestId('export-dicom-seg-button')).toBeDisabled() // no mask yet
  await page.getByTestId('view-axial').click()
  await page.getByTestId('tool-pen').click()
  await page.getByTestId('pen-size').fill('6')
  await drag(page, LINE)
  await page.getByTestId('tool-fill').click()
  await drag(page, SQUARE)
  await expect(page.getByTestId('edit-count')).toHaveText('2 corrections')
  const drawn = await maskRuns(page)

  const work = mkdtempSync(join(tmpdir(), 'strokeseg-seg-'))
  const save = async (testId: string, name: string) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()])
    expect(download.suggestedFilename()).toBe(name)
    const path = join(work, name)
    copyFileSync(await download.path(), path)
    return path
  }
  const seg = await save('export-dicom-seg-button', 'CT_series_2_lesion_seg.dcm')
  const nifti = await save('export-mask-button', 'CT_series_2_lesion.nii.gz')

  const check = spawnSync(PYTHON, ['testing/check_dicom_seg.py', seg, dir, nifti], { encoding: 'utf8' })
  console.log(`pydicom check: ${check.stdout.trim()}`)
  expect(check.status, check.stderr).toBe(0)
  const summary = JSON.parse(check.stdout) as { ok: boolean; frames: number; lesion_pixels: number; mask_voxels: number; algorithm: string; referenced_images: number }
  expect(summary).toMatchObject({ ok: true, referenced_images: 28, algorithm: 'MANUAL' })
  expect(summary.frames).toBeGreaterThan(0)
  expect(summary.lesion_pixels).toBe(summary.mask_voxels)

  // Dropped again with its series, on a fresh page: the same voxels as a mask over the scan.
  await page.reload()
  const status = await dropFiles(page, [...series, seg])
  await expectScanShown(page, status, '512x512x28')
  await expect(page.getByTestId('mask-info')).toContainText('CT_series_2_lesion_seg.dcm (DICOM SEG')
  expect(await maskRuns(page)).toEqual(drawn)
  // Over a scan opened from its series, the SEG also opens from the mask pickers: here as the reference, equal to the mask.
  expect((await pickFiles(page, 'reference-mask-input', seg)).kind).toBe('info')
  await expect(page.getByTestId('mask-comparison')).toHaveAttribute('data-dice', '1.0000')

  // The SEG alone is a mask without its scan: refused with what to do, and the open scan stays.
  const alone = await dropFiles(page, [seg])
  expect(alone.kind).toBe('error')
  expect(alone.text).toContain('a DICOM SEG holds a mask, not a scan: drop it together with its image series')
  await expect(page.getByTestId('volume-info')).toHaveAttribute('data-dims', '512x512x28')
  expect(errors).toEqual([])
})
