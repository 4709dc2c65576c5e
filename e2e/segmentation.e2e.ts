/**
 * Segmentation in the browser: the bundled model in the worker on the backend chosen here (WASM without a GPU),
 * and on WebGPU and WebGL when asked for (SwiftShader here: slow, so on a small scan); progress, the overlay,
 * lesion volume in mL, export on the source grid, cancel, and no tensor leak. The tests marked so run on the
 * committed synthetic FLAIR (testing/fixtures/) and need nothing from ../shared.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from './support/test'
import { PNG } from 'pngjs'
import { readNifti } from '../src/io/nifti/readNifti'
import { leftOutNotice, type ModelCard } from '../src/pipeline/modelCard'
import { canvasPicture, changedFraction, dropFiles, expectScanShown, openApp } from './support/app'
import { FIXTURE_DIMS, FIXTURE_SCAN } from '../testing/fixtures/makeFixtures'
import { realFile, requireRealData } from './support/realData'
import { programsAdded, workerPrograms } from '../testing/workerPrograms'

const FLAIR = realFile('lesion/niivue_flair/FLAIR.nii.gz')

/** Opens the real FLAIR (`../shared`), or with `fixture` the committed synthetic one, and waits for the model. */
async function openFlair(page: Page, query = '', fixture = false): Promise<string[]> {
  if (!fixture) requireRealData()
  const pageErrors = await openApp(page, `/${query}`)
  await expectScanShown(page, await dropFiles(page, [fixture ? FIXTURE_SCAN : FLAIR]), fixture ? FIXTURE_DIMS.join('x') : '124x160x140')
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 90_000 }) // the model is loaded and warmed up
  return pageErrors
}

/** Presses Segment, checks that progress moves, and waits for the result (on SwiftShader's GPUs, minutes). */
async function segment(page: Page): Promise<void> {
  await page.getByTestId('segment-button').click()
  const progress = page.getByTestId('progress')
  await expect.poll(async () => Number(await progress.getAttribute('data-total')), { timeout: 60_000 }).toBeGreaterThan(0)
  await expect(page.getByTestId('progress-text')).toContainText('Segmented', { timeout: 600_000 })
  expect(Number(await progress.getAttribute('data-done'))).toBe(Number(await progress.getAttribute('data-total')))
}

const maskVoxels = (page: Page) => page.evaluate(() => window.strokeSeg!.maskVoxels()!)

/** Segments, and returns the GPU programs that the run compiled beyond the worker's warm-up for the scan. */
async function programsCompiledBySegment(page: Page): Promise<string[]> {
  const before = await workerPrograms(page)
  await segment(page)
  return programsAdded(before, await workerPrograms(page))
}

/**
 * Programs that read results back and gather rows: the only ones whose shapes a run's output decides (how many
 * rows hold lesion). tfjs-webgl names them by class; tfjs-webgpu keys them by name and size class ("gather_...").
 */
const READ_BACK_PROGRAMS = new Set(['DecodeMatrixProgram', 'DecodeMatrixPackedProgram', 'EncodeMatrixProgram', 'GatherProgram', 'PackProgram', 'UnpackProgram', 'ConcatPackedProgram'])
const readsBack = (program: string) => READ_BACK_PROGRAMS.has(program) || program.startsWith('gather_')

/** Two masks of one scan differ in at most 1 % of the lesion's voxels (plus a few at its border). */
function expectAlike(mask: readonly number[], reference: readonly number[]): void {
  expect(mask.length).toBe(reference.length)
  const differing = mask.reduce((n, v, i) => n + (v === reference[i] ? 0 : 1), 0)
  expect(differing).toBeLessThanOrEqual(0.01 * reference.filter((v) => v > 0).length + 20)
}

test('FLAIR: segmented on the backend chosen here, with the overlay, the volume in mL and the lesion list', async ({ page }) => {
  test.setTimeout(300_000)
  const errors = await openFlair(page)
  await expect(page.getByTestId('model-card')).toContainText('not for diagnosis')
  // FLAIR is named by the file; no model of FLAIR alone is shipped, so it gets the model for any contrast.
  await expect(page.getByTestId('model-reason')).toHaveText('Chosen for an MR scan, FLAIR by its file name "FLAIR.nii.gz"; no model of that contrast alone is shipped.')
  await expect(page.getByTestId('model-card')).toContainText('StrokeSeg MR (synthetic)')
  // Lesions the bundled model's card leaves out by design are said on its card.
  const notice = leftOutNotice(JSON.parse(readFileSync('models/mr/model-card.json', 'utf8')) as ModelCard)
  const leftOut = page.getByTestId('model-card-left-out')
  await expect(leftOut).toHaveCount(notice ? 1 : 0)
  expect(await leftOut.allTextContents()).toEqual(notice ? [notice] : [])
  await segment(page)
  const voxels = await maskVoxels(page)
  const lesionVoxels = voxels.filter((v) => v > 0).length
  const volume = page.getByTestId('lesion-volume')
  await expect(volume).toContainText('mL')
  // The volume is the voxel count times the real voxel volume of the scan.
  const scan = await page.evaluate(() => window.strokeSeg!.scan()!)
  const voxelMl = scan.spacing.reduce((a, b) => a * b, 1) / 1000
  expect(Number(await volume.getAttribute('data-ml'))).toBeCloseTo(lesionVoxels * voxelMl, 2)
  expect(await page.evaluate(() => window.strokeSeg!.mask()!.dims)).toEqual(scan.dims)
  // A stroke FLAIR: the model marks something (20.6 mL with the bundled model, MODELS.md). The lesion list puts the
  // crosshair on the largest lesion; there the overlay shows at opacity 100, not at 0.
  expect(lesionVoxels).toBeGreaterThan(0)
  await page.getByTestId('lesion-list').getByRole('button').first().click()
  const slider = page.getByTestId('opacity-slider')
  await slider.fill('0')
  const hidden = await canvasPicture(page)
  await slider.fill('100')
  expect(changedFraction(hidden, await canvasPicture(page))).toBeGreaterThan(0)
  expect(errors).toEqual([])
})

/**
 * The smallest real MR scan that the model marks something on (an EPI volume, 17x21x3 at 4x4x8 mm): the GPU
 * backends run on SwiftShader here, 60-100x slower than WASM, minutes per batch of a whole-brain scan.
 */
const EPI = realFile('edge/functional.nii')

async function openEpi(page: Page, backend: string): Promise<string[]> {
  requireRealData()
  const pageErrors = await openApp(page, `/?backend=${backend}`)
  await expectScanShown(page, await dropFiles(page, [EPI]), '17x21x3')
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend, { timeout: 120_000 })
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 }) // the model is loaded and warmed up
  return pageErrors
}

test('WebGPU, WebGL and WASM segment the same scan alike; a GPU run compiles nothing beyond what reads results back', async ({ page }) => {
  test.setTimeout(900_000)
  const errors = await openEpi(page, 'wasm')
  await segment(page)
  const onWasm = await maskVoxels(page)
  expect(onWasm.filter((v) => v > 0).length).toBeGreaterThan(0) // a non-empty mask, so that agreement means something

  // The worker compiled the run's programs when the scan opened (compileRunPrograms): a WebGPU run compiles at
  // most the gather of the rows with lesion, whose size the model's output decides.
  await openEpi(page, 'webgpu')
  expect((await programsCompiledBySegment(page)).filter((program) => !readsBack(program))).toEqual([])
  expectAlike(await maskVoxels(page), onWasm)

  // WebGL runs programs compiled without running (tfjs's compile-only mode), and keeps the scan on the GPU (cut,
  // resampled and thresholded there) where WASM slices it in main memory. On WebGL the run compiles only what
  // reads results back: the statistics' and row maxima's read-back, and the rows with lesion gathered, packed and
  // read back (shapes that depend on the model's output). None of the model's.
  await openEpi(page, 'webgl')
  const compiledByRun = new Set(await programsCompiledBySegment(page))
  expect([...compiledByRun].filter((program) => !readsBack(program))).toEqual([])
  expectAlike(await maskVoxels(page), onWasm)
  expect(errors).toEqual([])
})

test('WASM runs its threaded build on the cross-origin isolated page, with the threads tfjs takes for the cores', async ({ page }) => {
  const blobWorkers: string[] = []
  page.on('worker', (worker) => worker.url().startsWith('blob:') && blobWorkers.push(worker.url()))
  await openFlair(page, '?backend=wasm', true)
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  // tfjs 4.22 takes half the logical cores, 1 to 8 (one thread on a 2-core machine, 4 on an 8-core one).
  const cores = await page.evaluate(() => navigator.hardwareConcurrency)
  const threads = Math.min(8, Math.max(1, Math.floor(cores / 2)))
  await expect(page.getByTestId('backend')).toContainText(`SIMD, ${threads} ${threads === 1 ? 'thread' : 'threads'}`)
  expect(blobWorkers.length, 'the threaded build starts its pthread pool').toBeGreaterThan(0)
})

test('the exported mask has the source scan\'s dims and affine', async ({ page }) => {
  test.setTimeout(300_000)
  await openFlair(page, '?backend=wasm', true)
  await segment(page)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-button').click()])
  expect(download.suggestedFilename()).toBe('synthetic_flair_lesion.nii.gz')
  const exported = readNifti(new Uint8Array(readFileSync(await download.path())), 'export').volume
  const source = readNifti(new Uint8Array(readFileSync(FIXTURE_SCAN)), 'FLAIR').volume
  expect(exported.dims).toEqual(source.dims)
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(exported.affine[r][c]).toBeCloseTo(source.affine[r][c], 4)
  expect(Array.from(exported.data)).toEqual(await maskVoxels(page))

  // The PNG snapshot of the view: the canvas's size, with the caption band along the bottom.
  const [snapshot] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png-button').click()])
  expect(snapshot.suggestedFilename()).toBe('synthetic_flair_view.png')
  const png = PNG.sync.read(readFileSync(await snapshot.path()))
  const canvas = await page.getByTestId('viewer-canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height])
  expect([png.width, png.height]).toEqual(canvas)
  const fontPx = Math.max(14, Math.round(png.height / 40)) // as ScanViewer.snapshotPng writes the caption
  const band = png.data.subarray(Math.floor(png.height - fontPx * 1.8) * png.width * 4)
  let whitePixels = 0
  for (let i = 0; i < band.length; i += 4) if (band[i] > 240 && band[i + 1] > 240 && band[i + 2] > 240) whitePixels++
  expect(whitePixels).toBeGreaterThan(50) // the caption's text
})

test('cancel stops a run within a second and leaves the scan as it was; runs leave no tensors behind', async ({ page }) => {
  test.setTimeout(400_000)
  await openFlair(page, '?backend=wasm')
  const scanBefore = await page.evaluate(() => window.strokeSeg!.scan())
  await page.getByTestId('segment-button').click()
  await expect(page.getByTestId('cancel-button')).toBeEnabled()
  const clicked = Date.now()
  await page.getByTestId('cancel-button').click()
  await expect(page.getByTestId('progress-text')).toContainText('cancelled', { timeout: 1_000 })
  expect(Date.now() - clicked).toBeLessThan(1_500)
  expect(await page.evaluate(() => window.strokeSeg!.scan())).toEqual(scanBefore)
  expect(await page.evaluate(() => window.strokeSeg!.mask())).toBeNull()

  const tensors: number[] = []
  for (let run = 0; run < 3; run++) {
    await segment(page)
    tensors.push((await page.evaluate(() => window.strokeSeg!.workerTensors()))!)
  }
  expect(tensors[0]).toBeGreaterThan(0) // the model's weights
  expect(new Set(tensors).size).toBe(1)
})

test('your own model: model.json, weights and card load together; a missing file or a card that does not match is refused', async ({ page }) => {
  test.setTimeout(300_000)
  await openFlair(page, '?backend=wasm', true)
  const dir = 'models/ct'
  const files = readdirSync(dir).filter((f) => /\.(json|bin)$/.test(f)).map((f) => join(dir, f))
  await page.getByTestId('model-input').setInputFiles(files.filter((f) => !f.endsWith('model-card.json')))
  await expect(page.getByTestId('progress-text')).toContainText('missing: model-card.json')
  await page.getByTestId('model-input').setInputFiles(files)
  await expect(page.getByTestId('model-picker')).toHaveValue('own')
  await expect(page.getByTestId('model-card')).toContainText('StrokeSeg CT', { timeout: 90_000 })
  await segment(page)
  await expect(page.getByTestId('lesion-volume')).toContainText('mL')

  // A card whose parameter count does not match: a clear message, and the scan stays.
  const card = JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8'))
  card.architecture.parameters += 1
  const asPayload = (path: string) => ({ name: path.split('/').at(-1)!, mimeType: 'application/octet-stream', buffer: readFileSync(path) })
  await page.getByTestId('model-input').setInputFiles([
    ...files.filter((f) => !f.endsWith('model-card.json')).map(asPayload),
    { name: 'model-card.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(card)) },
  ])
  await expect(page.getByTestId('progress-text')).toContainText('does not match its card', { timeout: 90_000 })
  await expect(page.getByTestId('volume-info')).toHaveAttribute('data-dims', FIXTURE_DIMS.join('x'))
})
