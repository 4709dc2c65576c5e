/**
 * Every file of ../shared/data/real, dropped one by one: each loads or is refused with a message that
 * names it, each 3D scan that loads is segmented (WASM) to a mask or a clear message (the DICOM transfer-syntax
 * copies of one scan once), and the page never throws. DICOM transfer syntaxes must decode to the reference voxels.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, relative } from 'node:path'
import { gunzipSync } from 'fflate'
import { expect, test, type Page } from './support/test'
import { readNifti } from '../src/io/nifti/readNifti'
import { readRealFile } from '../testing/realData'
import { dropFiles, openApp, settledStatus } from './support/app'
import { realDataDir, realFile, requireRealData } from './support/realData'

test.beforeEach(() => requireRealData())

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? allFiles(path) : [path]
  })
}

test('every real file loads or is refused by name, each 3D scan is segmented, with no uncaught page error', async ({ page }) => {
  test.setTimeout(900_000)
  const errors = await openApp(page) // the backend the app chooses here (WASM without a GPU), and why, is logged
  const outcomes: string[] = []
  let transferSyntaxSegmented = false
  for (const path of requireFiles()) {
    const status = await dropReplacingMask(page, [path])
    const name = basename(path)
    const loaded = status.kind === 'info' || status.kind === 'warning'
    if (loaded) {
      const dims = (await page.getByTestId('volume-info').getAttribute('data-dims'))!
      expect(status.text, name).toContain(name)
      // The transfer-syntax copies hold the same voxels (the next test proves it): one of them is segmented.
      const sameVoxelsSegmented = path.includes('dicom/transfer_syntax/') && transferSyntaxSegmented
      transferSyntaxSegmented ||= path.includes('dicom/transfer_syntax/')
      const segmented = Number(dims.split('x')[2]) > 1 && !sameVoxelsSegmented ? `; ${await segmentOutcome(page)}` : ''
      outcomes.push(`loaded   ${relative(realDataDir, path)}: ${dims}${segmented}`)
    } else {
      expect(status.kind, `${name}: ${status.text}`).toBe('error')
      expect(status.text).toContain(name)
      await expect(page.getByTestId('status')).toHaveAttribute('role', 'alert')
      outcomes.push(`refused  ${relative(realDataDir, path)}: ${status.text}`)
    }
  }
  // The CT series' files one by one are single slices; dropped together they are the 3D scan.
  const series = requireFiles().filter((path) => path.includes('ct/ge_head_ct_tilt/'))
  const status = await dropReplacingMask(page, series)
  expect(status.kind, status.text).toMatch(/info|warning/)
  outcomes.push(`loaded   ct/ge_head_ct_tilt/ (${series.length} files): ${await page.getByTestId('volume-info').getAttribute('data-dims')}; ${await segmentOutcome(page)}`)
  outcomes.push(`backend: ${(await page.getByTestId('backend').textContent()) ?? ''}`)
  console.log(outcomes.join('\n'))
  expect(errors).toEqual([])
})

/** Drops files; when the app asks about the unsaved mask of the last scan, opens them without saving it. */
async function dropReplacingMask(page: Page, paths: readonly string[]): Promise<{ kind: string; text: string }> {
  const status = await dropFiles(page, paths)
  if ((await page.getByTestId('pending-open').count()) === 0) return status
  const before = Number(await page.getByTestId('status').getAttribute('data-seq'))
  await page.getByTestId('discard-and-open').click()
  return settledStatus(page, before)
}

/** Segments the scan on screen: a mask with its volume in mL, or a failure that says why; never a hang. */
async function segmentOutcome(page: Page): Promise<string> {
  const panel = page.getByTestId('segment-panel')
  const runsBefore = Number(await panel.getAttribute('data-run'))
  await page.getByTestId('segment-button').click({ timeout: 60_000 })
  await expect.poll(async () => Number(await panel.getAttribute('data-run')) > runsBefore && /^(done|failed)$/.test((await panel.getAttribute('data-phase')) ?? ''), { timeout: 120_000 }).toBe(true)
  const message = (await page.getByTestId('progress-text').textContent()) ?? ''
  if ((await panel.getAttribute('data-phase')) === 'failed') {
    expect(message).toMatch(/^Segmentation failed: .{10,}/)
    return message
  }
  await expect(page.getByTestId('lesion-volume')).toContainText('mL')
  const warning = page.getByTestId('result-warning')
  const verdict = (await warning.count()) > 0 ? `IMPLAUSIBLE: ${(await warning.textContent()) ?? ''}` : 'plausible'
  return `${message} ${(await page.getByTestId('lesion-volume').getAttribute('data-ml')) ?? ''} mL; ${verdict}`
}

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

/** Damaged copies of a real NIfTI, made by the test: what a broken export, a bad copy or a wrong header gives. */
function damagedVariants(): Array<{ name: string; bytes: Uint8Array }> {
  const nifti = gunzipSync(readRealFile('lesion/niivue_flair/FLAIR.nii.gz')) // NIfTI-1, little-endian
  const withHeader = (name: string, edit: (view: DataView) => void) => {
    const bytes = nifti.slice()
    edit(new DataView(bytes.buffer))
    return { name, bytes }
  }
  // Truncation points drawn from a fixed seed: inside the header, just after it, and inside the voxels.
  let seed = 7
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const cuts = [Math.floor(random() * 348), 352 + Math.floor(random() * 1000), Math.floor(nifti.length * (0.2 + 0.7 * random()))]
  return [
    ...cuts.map((cut) => ({ name: `truncated_at_${cut}.nii`, bytes: nifti.slice(0, cut) })),
    withHeader('dims_0.nii', (v) => v.setInt16(42, 0, true)), // dim[1] = 0
    withHeader('dims_32767.nii', (v) => [42, 44, 46].forEach((o) => v.setInt16(o, 32767, true))), // NIfTI-1's largest
    withHeader('ndim_0.nii', (v) => v.setInt16(40, 0, true)),
    withHeader('pixdim_0.nii', (v) => [80, 84, 88].forEach((o) => v.setFloat32(o, 0, true))),
    withHeader('pixdim_nan.nii', (v) => [80, 84, 88].forEach((o) => v.setFloat32(o, NaN, true))),
    withHeader('datatype_unknown.nii', (v) => v.setInt16(70, 999, true)),
    withHeader('vox_offset_huge.nii', (v) => v.setFloat32(108, 1e9, true)),
    { name: 'damaged_gzip.nii.gz', bytes: readRealFile('lesion/niivue_flair/FLAIR.nii.gz').slice(0, 5000) },
  ]
}

test('damaged copies of a real NIfTI each end in a scan or a clear message, never an error or a hung page', async ({ page }) => {
  test.setTimeout(300_000)
  const errors = await openApp(page)
  const dir = mkdtempSync(join(tmpdir(), 'strokeseg-damaged-'))
  const outcomes: string[] = []
  for (const variant of damagedVariants()) {
    const path = join(dir, variant.name)
    writeFileSync(path, variant.bytes)
    const status = await dropFiles(page, [path]) // waits for an answer: a hung page fails here
    expect(status.kind, `${variant.name}: ${status.text}`).toMatch(/info|warning|error/)
    expect(status.text).toContain(variant.name)
    if (status.kind !== 'error') {
      // Loaded despite the damage (pixdim 0 or NaN: the voxel size comes from the affine): a usable voxel size.
      const spacing = (await page.evaluate(() => window.strokeSeg!.scan()!.spacing)) as number[]
      expect(spacing.every((s) => Number.isFinite(s) && s > 0), `${variant.name}: spacing ${spacing}`).toBe(true)
    }
    outcomes.push(`${variant.name}: ${status.kind}: ${status.text}`)
  }
  await expect(page.locator('[data-viewer-ready="1"]')).toBeVisible()
  console.log(outcomes.join('\n'))
  expect(errors).toEqual([])
})
