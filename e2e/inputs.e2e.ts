/**
 * Every way a scan arrives (pair, folder, zip, several series) and every bad input the viewer issue
 * names: each ends in a scan or in a message naming the file, and the app keeps working.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './support/test'
import { zipSync } from 'fflate'
import { readNifti } from '../src/io/nifti/readNifti'
import { dropFiles, expectScanShown, openApp, pickFiles } from './support/app'
import { realFile, requireRealData } from './support/realData'

test.beforeEach(() => requireRealData())

const work = mkdtempSync(join(tmpdir(), 'strokeseg-e2e-'))
const ctDir = () => realFile('ct/ge_head_ct_tilt')
const ctFiles = () => readdirSync(ctDir()).map((f) => join(ctDir(), f))

function writeTemp(name: string, bytes: Uint8Array | string): string {
  const path = join(work, name)
  writeFileSync(path, bytes)
  return path
}

test('a .hdr + .img pair dropped together opens as one scan', async ({ page }) => {
  await openApp(page)
  const status = await dropFiles(page, [realFile('edge/ras.hdr'), realFile('edge/ras.img')])
  await expectScanShown(page, status, '62x41x34')
})

test('a DICOM folder opens through the folder picker', async ({ page }) => {
  await openApp(page)
  const folder = join(work, 'ct-folder')
  mkdirSync(folder, { recursive: true })
  for (const f of ctFiles()) copyFileSync(f, join(folder, f.split('/').pop()!))
  await expectScanShown(page, await pickFiles(page, 'folder-input', folder), '512x512x28')
})

test('a .zip of DICOM opens', async ({ page }) => {
  await openApp(page)
  const entries = Object.fromEntries(ctFiles().map((f) => [`head/${f.split('/').pop()}`, new Uint8Array(readFileSync(f))]))
  const zip = writeTemp('head_ct.zip', zipSync(entries, { level: 1 }))
  await expectScanShown(page, await dropFiles(page, [zip]), '512x512x28')
})

test('a drop with several series lets the user choose one', async ({ page }) => {
  await openApp(page)
  const status = await dropFiles(page, [...ctFiles(), realFile('dicom/transfer_syntax/1.dcm')])
  expect(status.text).toContain('holds 2 scans: choose one')
  const picker = page.getByTestId('series-picker')
  await expect(picker.getByRole('button')).toHaveCount(2)
  // Each entry tells its series apart: number, description, modality, slices, dims.
  await expect(picker.getByRole('button', { name: /^series 2(: .+)? \(CT, 28 slices, 512x512x28\)$/ })).toHaveCount(1)
  await expect(picker.getByRole('button', { name: /^series \d+: .+ \(MR, 35 slices, 64x64x35\)$/ })).toHaveCount(1)
  await picker.getByRole('button', { name: /series 2/ }).first().click()
  await expect(page.getByTestId('volume-info')).toHaveAttribute('data-dims', '512x512x28')
  await expect(picker).toBeHidden()
  // A mask saved from a DICOM series is named after the series: its description and number.
  await page.getByTestId('tool-pen').click()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-button').click()])
  expect(download.suggestedFilename()).toMatch(/^[A-Za-z][\w.-]*_series_2_lesion\.nii\.gz$/)
})

test('a 4-D file opens its first volume and says so; with its .bval, a diffusion series opens at its highest b-value', async ({ page }) => {
  await openApp(page)
  const status = await dropFiles(page, [realFile('edge/example4d.nii.gz')])
  await expectScanShown(page, status, '128x96x24')
  expect(status.text).toContain('4-D file with 2 volumes: volume 1 read (a diffusion series? drop its .bval with it to see the highest b-value)')
  const volumes = [0, 1].map((frame) => Array.from(readNifti(readFileSync(realFile('edge/example4d.nii.gz')), 'example4d', { frame }).volume.data))
  expect(await page.evaluate(() => window.strokeSeg!.scanVoxels())).toEqual(volumes[0])

  const diffusion = await dropFiles(page, [realFile('edge/example4d.nii.gz'), writeTemp('example4d.bval', '0 1000\n')])
  await expectScanShown(page, diffusion, '128x96x24')
  expect(diffusion.text).toContain('diffusion-weighted, b-values 0, 1000 (2 volumes): the b = 1000 image, volume 2')
  expect(await page.evaluate(() => window.strokeSeg!.scanVoxels())).toEqual(volumes[1])
})

test('a diffusion-weighted DICOM series (b = 0 and b = 1000) opens at b = 1000, where an infarct shows; its image type picks the model, as an ADC map\'s does', async ({ page }) => {
  await openApp(page)
  const folder = join(work, 'dwi-dicom')
  mkdirSync(folder, { recursive: true })
  const made = spawnSync('/usr/bin/python3', ['testing/make_dwi_dicom.py', folder], { encoding: 'utf8' })
  expect(made.status, made.stderr).toBe(0)
  const status = await dropFiles(page, readdirSync(folder).map((f) => join(folder, f)))
  await expectScanShown(page, status, '16x16x4')
  expect(status.text).toContain('diffusion-weighted, b-values 0, 1000 (2 volumes): the b = 1000 image, volume 2')
  const voxels = (await page.evaluate(() => window.strokeSeg!.scanVoxels())) ?? []
  expect(voxels).toHaveLength(16 * 16 * 4)
  expect(voxels.filter((v) => v === 250)).toHaveLength(4 * 4 * 4) // the square, at its b = 1000 value
  expect(voxels.filter((v) => v === 100)).toHaveLength(voxels.length - 4 * 4 * 4)
  // Its DICOM image type says diffusion: a DWI, which gets the model for any contrast (no DWI model of its own).
  await expect(page.getByTestId('model-reason')).toHaveText(
    'Chosen for an MR scan, DWI by its DICOM image type (ORIGINAL\\PRIMARY\\DIFFUSION\\NONE); no model of that contrast alone is shipped.',
  )
  await expect(page.getByTestId('model-picker').locator('option[value="auto"]')).toHaveText('Automatic (mr)')

  // The scanner's ADC map of the same series: its image type says ADC, and the ADC model is chosen.
  const adcFolder = join(work, 'adc-dicom')
  mkdirSync(adcFolder, { recursive: true })
  const madeAdc = spawnSync('/usr/bin/python3', ['testing/make_dwi_dicom.py', adcFolder, '--adc'], { encoding: 'utf8' })
  expect(madeAdc.status, madeAdc.stderr).toBe(0)
  await expectScanShown(page, await dropFiles(page, readdirSync(adcFolder).map((f) => join(adcFolder, f))), '16x16x4')
  await expect(page.getByTestId('model-reason')).toHaveText('Chosen for an MR scan, ADC by its DICOM image type (DERIVED\\PRIMARY\\DIFFUSION\\ADC).')
  await expect(page.getByTestId('model-picker').locator('option[value="auto"]')).toHaveText('Automatic (mr-adc)')
})

test('bad input names the file and the reason, and the open scan stays', async ({ page }) => {
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [realFile('lesion/niivue_flair/FLAIR.nii.gz')]), '124x160x140')
  const flair = readFileSync(realFile('lesion/niivue_flair/FLAIR.nii.gz'))
  const ct = readFileSync(join(ctDir(), '01.dcm'))
  const cases: [string, string[], RegExp][] = [
    ['a text file', [writeTemp('notes.txt.bak', 'Patient notes, not an image.\n')], /notes\.txt\.bak: not a NIfTI, DICOM or zip file/],
    ['an empty drop', [], /the drop: it held no files/],
    ['a truncated .nii.gz', [writeTemp('truncated.nii.gz', flair.subarray(0, flair.length >> 1))], /truncated\.nii\.gz: the gzip data is damaged or truncated/],
    ['a DICOM it cannot decode', [writeTemp('broken.dcm', ct.subarray(0, 4000))], /broken\.dcm: dcm2niix/],
    ['an empty file', [writeTemp('empty.nii', new Uint8Array(0))], /empty\.nii: the file is empty/],
  ]
  for (const [what, paths, message] of cases) {
    const status = await dropFiles(page, paths)
    expect(status.kind, what).toBe('error')
    expect(status.text, what).toMatch(message)
    await expect(page.getByTestId('status')).toHaveAttribute('role', 'alert')
    await expect(page.getByTestId('volume-info'), `${what} must not close the scan`).toHaveAttribute('data-dims', '124x160x140')
  }
  expect(errors).toEqual([])
})

test('a mask on another grid is refused and the scan stays as it was', async ({ page }) => {
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [realFile('mri_t1/chris_t1.nii.gz')]), '188x256x190')
  const status = await pickFiles(page, 'mask-input', realFile('lesion/niivue_flair/lesion.nii.gz'))
  expect(status.kind).toBe('error')
  expect(status.text).toMatch(/lesion\.nii\.gz: not on the scan's grid: its grid is 124x160x140 voxels, the scan's is 188x256x190/)
  await expect(page.getByTestId('mask-info')).toHaveCount(0)
  await expect(page.getByTestId('volume-info')).toHaveAttribute('data-dims', '188x256x190')
  expect(errors).toEqual([])
})
