/**
 * Every file of ../shared/data/real, dropped one by one: each loads or is refused with a message that
 * names it, and the page never throws. DICOM transfer syntaxes must decode to the reference voxels.
 */
import { readdirSync, statSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { expect, test, type Page } from './support/test'
import { readNifti } from '../src/io/nifti/readNifti'
import { readRealFile } from '../testing/realData'
import { dropFiles, openApp } from './support/app'
import { realDataDir, realFile, requireRealData } from './support/realData'

test.beforeEach(() => requireRealData())

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? allFiles(path) : [path]
  })
}

test('every real file loads or is refused by name, with no uncaught page error', async ({ page }) => {
  test.setTimeout(600_000)
  const errors = await openApp(page)
  const outcomes: string[] = []
  for (const path of requireFiles()) {
    const status = await dropFiles(page, [path])
    const name = basename(path)
    const loaded = status.kind === 'info' || status.kind === 'warning'
    if (loaded) {
      const dims = await page.getByTestId('volume-info').getAttribute('data-dims')
      expect(status.text, name).toContain(name)
      outcomes.push(`loaded   ${relative(realDataDir, path)}: ${dims}`)
    } else {
      expect(status.kind, `${name}: ${status.text}`).toBe('error')
      expect(status.text).toContain(name)
      await expect(page.getByTestId('status')).toHaveAttribute('role', 'alert')
      outcomes.push(`refused  ${relative(realDataDir, path)}: ${status.text}`)
    }
  }
  console.log(outcomes.join('\n'))
  expect(errors).toEqual([])
})

function requireFiles(): string[] {
  const files = allFiles(realDataDir).sort()
  expect(files.length).toBeGreaterThan(50)
  return files
}

test('each DICOM transfer syntax decodes to the voxels of ref_1.nii or is refused clearly', async ({ page }) => {
  test.setTimeout(300_000)
  const errors = await openApp(page)
  const reference = readNifti(readRealFile('dicom/transfer_syntax/ref_1.nii'), 'ref_1.nii').volume
  const outcomes: string[] = []
  for (const file of ['1.dcm', '3.dcm', '4.dcm', '5.dcm', '8.dcm', '9.dcm']) {
    const status = await dropFiles(page, [realFile(`dicom/transfer_syntax/${file}`)])
    if (status.kind === 'error') {
      expect(status.text).toContain(file)
      outcomes.push(`${file}: refused: ${status.text}`)
      continue
    }
    const scan = await page.evaluate(() => window.strokeSeg!.scan())
    expect(scan?.dims, file).toEqual(reference.dims)
    const voxels = await scanVoxels(page)
    let differing = 0
    for (let i = 0; i < voxels.length; i++) if (voxels[i] !== reference.data[i]) differing++
    expect(differing, `${file}: voxels differing from ref_1.nii`).toBe(0)
    outcomes.push(`${file}: loaded, ${voxels.length} voxels equal to ref_1.nii`)
  }
  console.log(outcomes.join('\n'))
  expect(errors).toEqual([])
})

function scanVoxels(page: Page): Promise<number[]> {
  return page.evaluate(() => window.strokeSeg!.scanVoxels() ?? [])
}
