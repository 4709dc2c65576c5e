/**
 * What a clinician must be able to trust: the crosshair lands on the lesion clicked in the list, on the right
 * side of the brain, whatever the scan's voxel order (LAS, RAS, oblique); the readout's value is the scan's
 * value at the readout's voxel; and segmentation runs on the fastest backend here, saying why.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readNifti } from '../src/io/nifti/readNifti'
import { writeNifti } from '../src/io/nifti/writeNifti'
import { applyAffine, type Vec3 } from '../src/volume/affine'
import { connectedComponents } from '../src/volume/connectedComponents'
import { nearestVoxel, valueAt, type Volume } from '../src/volume/volume'
import { dropFiles, expectScanShown, openApp, pickFiles } from './support/app'
import { realFile, requireRealData } from './support/realData'
import { expect, test, type Page } from './support/test'

test.beforeEach(() => requireRealData())

const readVolume = (path: string): Volume => readNifti(new Uint8Array(readFileSync(path)), path).volume

/**
 * Two ball-shaped lesions in the left hemisphere of `scan` (world x below the grid's centre), on its grid:
 * a mirrored crosshair lands where there is none.
 */
function leftLesionsOn(scan: Volume): Volume {
  const [nx, ny, nz] = scan.dims
  const corner = applyAffine(scan.affine, [nx - 1, ny - 1, nz - 1])
  const origin = applyAffine(scan.affine, [0, 0, 0])
  const center = origin.map((o, a) => (o + corner[a]) / 2)
  const fov = origin.map((o, a) => Math.abs(corner[a] - o))
  const radius = 0.09 * Math.min(...fov)
  const balls = [
    { at: [center[0] - 0.22 * fov[0], center[1], center[2]], r: radius },
    { at: [center[0] - 0.22 * fov[0], center[1] + 0.25 * fov[1], center[2]], r: 0.7 * radius },
  ]
  const data = new Uint8Array(nx * ny * nz)
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const mm = applyAffine(scan.affine, [i, j, k])
        if (balls.some((b) => Math.hypot(mm[0] - b.at[0], mm[1] - b.at[1], mm[2] - b.at[2]) <= b.r)) data[i + nx * (j + ny * k)] = 1
      }
  return { ...scan, name: 'left-lesions', data, datatype: 'uint8', scaling: null, modality: 'unknown' }
}

function writeTemp(volume: Volume, name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'strokeseg-')), name)
  writeFileSync(path, writeNifti(volume, { gzip: false }))
  return path
}

interface ShownReadout {
  readonly voxel: Vec3
  readonly mm: Vec3
  readonly value: number
  readonly mask: string
}

async function readout(page: Page): Promise<ShownReadout> {
  const element = page.getByTestId('crosshair-readout')
  const numbers = async (name: string) => ((await element.getAttribute(name)) ?? '').split(',').map(Number) as unknown as Vec3
  return { voxel: await numbers('data-voxel'), mm: await numbers('data-mm'), value: Number(await element.getAttribute('data-value')), mask: (await element.getAttribute('data-mask')) ?? '' }
}

/**
 * Clicks each listed lesion (up to three) and checks that the crosshair's world position lies in that lesion
 * of the mask file, and that the readout's voxel and value are the scan's at that position.
 */
async function expectLesionClicksLandInside(page: Page, scan: Volume, mask: Volume): Promise<void> {
  const { labels, sizes } = connectedComponents(mask.data, mask.dims)
  const listed = page.getByTestId('lesion-list').getByRole('button')
  const count = Math.min(3, await listed.count())
  expect(count).toBeGreaterThan(0)
  const bySize = [...sizes.keys()].slice(1).sort((a, b) => sizes[b] - sizes[a])
  for (let n = 0; n < count; n++) {
    const before = await page.getByTestId('crosshair-readout').getAttribute('data-mm')
    await listed.nth(n).click()
    if (n > 0) await expect(page.getByTestId('crosshair-readout')).not.toHaveAttribute('data-mm', before ?? '')
    const shown = await readout(page)
    const voxel = nearestVoxel(mask, shown.mm)
    const [nx, ny] = mask.dims
    expect(labels[voxel[0] + nx * (voxel[1] + ny * voxel[2])], `lesion ${n + 1} at ${shown.mm.map((v) => v.toFixed(1)).join(', ')} mm`).toBe(bySize[n])
    expect(shown.mask).toBe('1')
    expect(shown.voxel).toEqual(nearestVoxel(scan, shown.mm))
    expect(shown.value).toBeCloseTo(valueAt(scan, shown.voxel), 3)
  }
}

for (const [orientation, file] of [
  ['LAS', 'dicom/transfer_syntax/ref_1.nii'],
  ['RAS', 'mri_t1/avg152T1_RL_nifti.nii.gz'],
] as const) {
  test(`${orientation} scan: a click on a listed lesion puts the crosshair inside it, and the readout reads the scan there`, async ({ page }) => {
    const scan = readVolume(realFile(file))
    const mask = leftLesionsOn(scan)
    const errors = await openApp(page)
    await expectScanShown(page, await dropFiles(page, [realFile(file)]), scan.dims.join('x'))
    expect((await pickFiles(page, 'mask-input', writeTemp(mask, 'left-lesions.nii'))).kind).toBe('info')
    await expect(page.getByTestId('lesion-volume')).toContainText('in 2 lesions')
    await expectLesionClicksLandInside(page, scan, mask)
    expect(errors).toEqual([])
  })
}

test('oblique FLAIR with its expert mask: each listed lesion click lands inside that lesion', async ({ page }) => {
  const scan = readVolume(realFile('lesion/niivue_flair/FLAIR.nii.gz'))
  const mask = readVolume(realFile('lesion/niivue_flair/lesion.nii.gz'))
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [realFile('lesion/niivue_flair/FLAIR.nii.gz')]), '124x160x140')
  expect((await pickFiles(page, 'mask-input', realFile('lesion/niivue_flair/lesion.nii.gz'))).kind).toBe('info')
  await expectLesionClicksLandInside(page, scan, { ...mask, data: mask.data.map((v) => (v > 0 ? 1 : 0)) })
  expect(errors).toEqual([])
})

test('a GPU that the CPU emulates is passed over for WASM, and the panel says why; the user can choose another backend', async ({ page }) => {
  const errors = await openApp(page)
  await expectScanShown(page, await dropFiles(page, [realFile('edge/functional.nii')]), '17x21x3')
  const renderer = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2')
    const info = gl?.getExtension('WEBGL_debug_renderer_info')
    return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : ''
  })
  const backend = page.getByTestId('backend')
  if (/swiftshader/i.test(renderer)) {
    await expect(backend).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 })
    await expect(backend).toContainText(/webgpu: no GPU, only a CPU emulation of one \(swiftshader\): WASM is faster here/)
    await expect(backend).toContainText(/webgl: no GPU, only a CPU emulation of one \(swiftshader\)/)
  } else {
    await expect(backend).not.toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 })
  }
  const picker = page.getByTestId('backend-picker')
  await picker.selectOption('webgl')
  await expect(backend).toHaveAttribute('data-backend', 'webgl', { timeout: 120_000 })
  await expect(page.getByTestId('segment-button')).toBeEnabled({ timeout: 120_000 })
  await picker.selectOption('wasm')
  await expect(backend).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 })
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented 3 slices', { timeout: 60_000 })
  await expect(page.getByTestId('progress-text')).toContainText('on wasm')
  expect(errors).toEqual([])
})

test('another scan dropped over an unsaved mask waits: stay, or save the mask and open; a mask from a file opens straight on', async ({ page }) => {
  const errors = await openApp(page, '/?backend=wasm')
  await expectScanShown(page, await dropFiles(page, [realFile('dicom/transfer_syntax/ref_1.nii')]), '64x64x35')
  await expect(page.getByTestId('segment-button')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 60_000 })
  const maskBefore = await page.evaluate(() => window.strokeSeg!.maskRuns())

  const held = await dropFiles(page, [realFile('mri_t1/avg152T1_RL_nifti.nii.gz')])
  expect(held).toEqual({ kind: 'warning', text: 'avg152T1_RL_nifti.nii.gz waits: the mask on screen is not saved (save it, or open without saving).' })
  await expect(page.getByTestId('pending-open')).toContainText('is not saved in a file')
  await page.getByTestId('keep-scan').click()
  await expect(page.getByTestId('pending-open')).toHaveCount(0)
  await expect(page.getByTestId('volume-info')).toHaveAttribute('data-dims', '64x64x35')
  expect(await page.evaluate(() => window.strokeSeg!.maskRuns())).toEqual(maskBefore)

  await dropFiles(page, [realFile('mri_t1/avg152T1_RL_nifti.nii.gz')])
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-and-open').click()])
  expect(download.suggestedFilename()).toBe('ref_1_lesion.nii.gz')
  await expect(page.getByTestId('volume-info')).toHaveAttribute('data-dims', '91x109x91')

  // A mask opened from a file is in that file already: the next scan opens without asking.
  expect((await pickFiles(page, 'mask-input', writeTemp(leftLesionsOn(readVolume(realFile('mri_t1/avg152T1_RL_nifti.nii.gz'))), 'm.nii'))).kind).toBe('info')
  await expectScanShown(page, await dropFiles(page, [realFile('dicom/transfer_syntax/ref_1.nii')]), '64x64x35')
  expect(errors).toEqual([])
})

test('a result that cannot be right is shown with a warning: a model that marks the whole head', async ({ page }) => {
  test.setTimeout(300_000) // two runs over a 146-slice scan
  // The bundled MR model with its mask head's bias at +50: every slice with head in it comes out all lesion.
  const dir = mkdtempSync(join(tmpdir(), 'strokeseg-marks-all-'))
  const manifest = JSON.parse(readFileSync(join('models/mr', 'model.json'), 'utf8')) as { weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string }> }> }
  const files = ['model.json', 'model-card.json', ...manifest.weightsManifest[0].paths]
  for (const f of files) writeFileSync(join(dir, f), readFileSync(join('models/mr', f)))
  expect(manifest.weightsManifest[0].weights.at(-1)!.name).toBe('mask_head/bias')
  const lastShard = join(dir, manifest.weightsManifest[0].paths.at(-1)!)
  const shard = readFileSync(lastShard)
  shard.writeFloatLE(50, shard.length - 4)
  writeFileSync(lastShard, shard)

  const errors = await openApp(page, '/?backend=wasm')
  await expectScanShown(page, await dropFiles(page, [realFile('lesion/clinical_t2/T2.nii')]), '156x175x146')
  await page.getByTestId('model-input').setInputFiles(files.map((f) => join(dir, f)))
  await expect(page.getByTestId('model-picker')).toHaveValue('own')
  await expect(page.getByTestId('segment-button')).toBeEnabled({ timeout: 90_000 })
  await expect(page.getByTestId('result-warning')).toHaveCount(0)
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 120_000 })
  await expect(page.getByTestId('result-warning')).toContainText(/^This result cannot be right: the mask \(\d+ mL\) is \d+ % of the head .*may not fit this scan/)

  // The bundled model the scan gets by itself, a T2 scan's own by its file name: no warning (the check does not
  // fire on a real stroke scan).
  await page.getByTestId('model-picker').selectOption('auto')
  await expect(page.getByTestId('model-reason')).toHaveText('Chosen for an MR scan, T2 by its file name "T2.nii".')
  await expect(page.getByTestId('model-card')).toContainText('StrokeSeg MR, T2 scans', { timeout: 90_000 })
  await expect(page.getByTestId('segment-button')).toBeEnabled({ timeout: 90_000 })
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 120_000 })
  await expect(page.getByTestId('result-warning')).toHaveCount(0)
  await expect(page.getByTestId('contrast-fit')).toHaveCount(0)
  // A model of another contrast, picked by hand, is used, with a warning.
  await page.getByTestId('model-picker').selectOption('mr-adc')
  await expect(page.getByTestId('contrast-fit')).toContainText('trained on ADC scans alone, and this scan is T2 by its file name "T2.nii"')
  await expect(page.getByTestId('model-reason')).toHaveText('Automatic would choose mr-t2, for an MR scan, T2 by its file name "T2.nii".')
  expect(errors).toEqual([])
})
