import { existsSync, readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { obliqueScan, scanOf, thresholdModel } from '../../testing/pipelineFixtures'
import { describeWithRealData, readRealFile } from '../../testing/realData'
import { readNifti } from '../io/nifti/readNifti'
import { selectBackend } from '../training/backend/selectBackend'
import { fileModelHandler } from '../training/io/modelFiles'
import { alongRasAxis, rasReorientation, toRasOrder } from '../volume/rasReorientation'
import { connectedComponents } from '../volume/connectedComponents'
import { countNonZero, voxelVolumeMm3, type Volume } from '../volume/volume'
import { padSlices, resampleSlices, sliceGeometry, slicesWithHead } from './axialSlices'
import { analyzeIntensities, normalizedTensor, replaceNonFinite } from './intensityNormalization'
import { loadSegmentationModel } from './loadSegmentationModel'
import type { ModelCard } from './modelCard'
import { compileRunPrograms } from './compileRunPrograms'
import { MAX_BATCHES_PER_CHUNK, MAX_VOXELS_ON_BACKEND, planRun, runSlices } from './runPlan'
import { segmentVolume } from './segmentVolume'

/**
 * The bundled MR card with 1.5 mm input spacing, so that the 1 x 1.2 mm test slices are resampled both ways, and
 * threshold 0.5, which thresholdModel's lesion rule (x >= 0.5) is made for (the bundled model's own is tuned),
 * and every predicted lesion kept (no seed threshold, no minimum size); one model call per slice (mirror averaging:
 * predictSlices.test.ts).
 */
const card: ModelCard = { ...JSON.parse(readFileSync('models/mr/model-card.json', 'utf8')), threshold: 0.5, seedThreshold: undefined, minLesionMl: 0, mirrorAveraging: false, input: { plane: 'axial', orientation: 'RAS', spacingMm: 1.5, sizeMultiple: 16, trainingSize: 128 } }

/** Axial, x towards Left (rows copied whole, then flipped), with non-finite voxels read as air. */
function lasScan(): Volume {
  const scan = scanOf('las.nii.gz', [22, 18, 20], [1, 1.2, 1], [[-1, 0, 0, 20], [0, 1.2, 0, -10], [0, 0, 1, -10], [0, 0, 0, 1]])
  const data = scan.data as Float32Array
  data.set([NaN, Infinity, -Infinity], 22 * 18 * 5 + 22 * 9 + 10)
  return scan
}

/** The pipeline done the plain way: the whole volume reordered, every head slice at once, tfjs' resize, reordered back. */
function referenceMask(scan: Volume, model: tf.LayersModel): Uint8Array {
  const { mapping, headCounts } = analyzeIntensities(scan, card.normalization)
  const orientation = rasReorientation(scan.affine, scan.dims, scan.spacing)
  const geometry = sliceGeometry(orientation.dims, orientation.spacing, card.input.spacingMm, card.input.sizeMultiple)
  const ks = slicesWithHead(alongRasAxis(headCounts, orientation, 2), geometry)
  const raw = toRasOrder(replaceNonFinite(new Float32Array(scan.data), mapping.fill), orientation)
  const sliceSize = geometry.native[0] * geometry.native[1]
  const bits = tf.tidy(() => {
    const slices = tf.tensor4d(Float32Array.from(ks.flatMap((k) => Array.from(raw.subarray(k * sliceSize, (k + 1) * sliceSize)))), [ks.length, ...geometry.native, 1])
    const input = padSlices(resampleSlices(normalizedTensor(slices, mapping), geometry), geometry, mapping.background)
    const [top, , left] = geometry.padding
    const output = (model.predict(input) as tf.Tensor4D).slice([0, top, left, 0], [-1, ...geometry.resampled, 1])
    return tf.image.resizeBilinear(output, [...geometry.native], false, true).greaterEqual(card.threshold).dataSync()
  })
  // Back to source order through the source index of every RAS voxel.
  const sourceOfRas = toRasOrder(Float32Array.from({ length: scan.data.length }, (_, i) => i), orientation)
  const mask = new Uint8Array(scan.data.length)
  ks.forEach((k, i) => bits.subarray(i * sliceSize, (i + 1) * sliceSize).forEach((bit, j) => (mask[sourceOfRas[k * sliceSize + j]] = bit)))
  return mask
}

describe('segmentVolume', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it.each([
    ['permuted and flipped axes', obliqueScan, 3, false],
    ['axial LAS with non-finite voxels', lasScan, 0, false],
    ['permuted and flipped axes, kept on the backend', obliqueScan, 3, true],
    ['axial LAS with non-finite voxels, kept on the backend', lasScan, 0, true],
  ])('%s: the mask of the plain whole-volume pipeline, on the scan grid, in batches of any size', async (_, makeScan, skipped, scanOnBackend) => {
    const scan = makeScan()
    const model = thresholdModel()
    const expected = referenceMask(scan, model)
    expect(expected.some((v) => v === 1) && expected.some((v) => v === 0)).toBe(true)
    const tensorsBefore = tf.memory().numTensors
    // Plans of WASM (batches of batchSize, growing chunks) and of WebGL (even batches filled up, one per chunk), run here on WASM.
    for (const [backend, batchSize] of [['wasm', 1], ['wasm', 3], ['wasm', 8], ['wasm', 64], ['webgl', 3], ['webgl', 8]] as const) {
      const progress: number[] = []
      const result = await segmentVolume(scan, model, card, planRun(scan, backend, { batchSize, scanOnBackend }), { onProgress: (p) => progress.push(p.slicesDone) })
      expect(result.mask.dims).toEqual(scan.dims)
      expect(result.mask.affine).toEqual(scan.affine)
      expect(result.slicesRun + result.slicesSkipped).toBe(20)
      expect(result.slicesSkipped).toBe(skipped)
      expect(Array.from(result.mask.data)).toEqual(Array.from(expected))
      expect(progress.at(-1)).toBe(result.slicesRun)
      expect(progress).toEqual([...progress].sort((a, b) => a - b))
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    model.dispose()
  })

  it("drops the predicted lesions smaller than the card's minLesionMl, and only those", async () => {
    // Tissue at 100 with two bright cubes, 7 x 7 x 5 and 3 x 3 x 3 voxels: two lesions of different sizes.
    const scan: Volume = { ...scanOf('two-lesions.nii.gz', [24, 20, 12], [1, 1, 1], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]) }
    const data = scan.data as Float32Array
    data.forEach((_, i) => {
      const [x, y, z] = [i % 24, Math.floor(i / 24) % 20, Math.floor(i / 480)]
      const inCube = (x0: number, y0: number, z0: number, n: number, depth: number) => x >= x0 && x < x0 + n && y >= y0 && y < y0 + n && z >= z0 && z < z0 + depth
      data[i] = x < 3 ? 0 : inCube(5, 5, 3, 7, 5) || inCube(16, 12, 4, 3, 3) ? 400 : 100
    })
    const model = thresholdModel()
    const all = (await segmentVolume(scan, model, card, planRun(scan, 'wasm'))).mask.data
    const { labels, sizes } = connectedComponents(all, scan.dims)
    const voxelMl = voxelVolumeMm3(scan.spacing) / 1000
    const [smallest, largest] = [Math.min(...sizes.slice(1)), Math.max(...sizes.slice(1))]
    expect(smallest).toBeLessThan(largest) // lesions of more than one size to choose between
    const minLesionMl = ((smallest + largest) / 2) * voxelMl
    const kept = (await segmentVolume(scan, model, { ...card, minLesionMl }, planRun(scan, 'wasm'))).mask.data
    expect(Array.from(kept)).toEqual(Array.from(all, (v, i) => (v && sizes[labels[i]] * voxelMl >= minLesionMl ? 1 : 0)))
    expect(countNonZero(kept)).toBeGreaterThan(0)
    model.dispose()
  })

  it.each([false, true])("keeps only the lesions whose probability reaches the card's seedThreshold somewhere (kept on the backend: %s)", async (scanOnBackend) => {
    // Tissue at 100 with a bright and a fainter cube: two lesions whose highest probabilities differ.
    const scan: Volume = { ...scanOf('two-lesions.nii.gz', [24, 20, 12], [1, 1, 1], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]) }
    const data = scan.data as Float32Array
    data.forEach((_, i) => {
      const [x, y, z] = [i % 24, Math.floor(i / 24) % 20, Math.floor(i / 480)]
      const inCube = (x0: number, y0: number, z0: number) => x >= x0 && x < x0 + 5 && y >= y0 && y < y0 + 5 && z >= z0 && z < z0 + 5
      data[i] = x < 3 ? 0 : inCube(5, 5, 3) ? 400 : inCube(15, 12, 4) ? 150 : 100
    })
    const model = thresholdModel()
    const segmentAt = async (levels: Partial<ModelCard>) => (await segmentVolume(scan, model, { ...card, ...levels }, planRun(scan, 'wasm', { scanOnBackend }))).mask.data as Uint8Array
    const all = await segmentAt({})
    const { labels, count } = connectedComponents(all, scan.dims)
    expect(count).toBe(2)
    // A seed threshold that the bright lesion reaches and the faint one does not.
    const seedThreshold = 0.9
    const seeds = await segmentAt({ threshold: seedThreshold })
    expect(connectedComponents(seeds, scan.dims).count).toBe(1)
    const seeded = new Set(labels.filter((label, i) => label > 0 && seeds[i]))
    const kept = await segmentAt({ seedThreshold })
    expect(Array.from(kept)).toEqual(Array.from(all, (v, i) => (v && seeded.has(labels[i]) ? 1 : 0))) // the seeded lesion whole, at the lower threshold
    expect(countNonZero(kept)).toBeGreaterThan(countNonZero(seeds))
    model.dispose()
  })

  it.each([false, true])('stops on abort with an AbortError and leaves no tensor behind (kept on the backend: %s)', async (scanOnBackend) => {
    const model = thresholdModel()
    const tensorsBefore = tf.memory().numTensors
    const controller = new AbortController()
    const scan = obliqueScan()
    const run = segmentVolume(scan, model, card, planRun(scan, 'wasm', { batchSize: 2, scanOnBackend }), { signal: controller.signal, onProgress: () => controller.abort() })
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    model.dispose()
  })
})

describe('the run plan', () => {
  /** A grid of `depth` axial slices, stored RAS, or with the slices along the first stored axis. */
  const grid = (depth: number, sliceAxis = 2, inPlane = 10) => {
    const dims: [number, number, number] = [inPlane, inPlane, inPlane]
    dims[sliceAxis] = depth
    const affine: Volume['affine'] = sliceAxis === 2 ? [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] : [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]]
    return { dims, spacing: [1, 1, 1] as [number, number, number], affine }
  }

  it('keeps one batch shape and one chunk shape on WebGL: the axial depth split evenly into batches of at most batchSize', () => {
    expect([28, 181, 3, 9, 16].map((depth) => planRun(grid(depth), 'webgl', { batchSize: 8 }).batch)).toEqual([7, 8, 3, 5, 8])
    expect(planRun(grid(28, 0), 'webgl').batch).toBe(7) // the axial axis stored first
    expect(planRun(grid(28), 'webgl')).toMatchObject({ fullBatches: true, maxBatchesPerChunk: 1, scanOnBackend: true })
    for (const backend of ['webgpu', 'wasm']) expect(planRun(grid(28), backend)).toMatchObject({ batch: 8, fullBatches: false, maxBatchesPerChunk: MAX_BATCHES_PER_CHUNK })
  })

  it('keeps the scan on the GPU backends when it fits, and slices in main memory elsewhere or when asked', () => {
    expect(['webgpu', 'webgl', 'wasm', 'cpu'].map((backend) => planRun(grid(28), backend).scanOnBackend)).toEqual([true, true, false, false])
    const huge = grid(Math.floor(MAX_VOXELS_ON_BACKEND / 512 / 512) + 1, 2, 512)
    expect(planRun(huge, 'webgpu').scanOnBackend).toBe(false)
    expect(planRun(grid(28), 'webgpu', { scanOnBackend: false }).scanOnBackend).toBe(false)
  })

  it('fills a short last batch up with its last slice where it keeps one batch shape', () => {
    const webgl = { ...planRun(grid(28), 'webgl'), batch: 3 }
    expect(runSlices(webgl, [4, 5, 6, 9, 10])).toEqual([4, 5, 6, 9, 10, 10])
    expect(runSlices(webgl, [4, 5, 6])).toEqual([4, 5, 6])
    expect(runSlices(webgl, [4])).toEqual([4, 4, 4])
    expect(runSlices({ ...planRun(grid(28), 'wasm'), batch: 3 }, [4])).toEqual([4])
  })
})

process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json'

describe.skipIf(!existsSync(process.env.VK_ICD_FILENAMES))('compileRunPrograms on WebGPU (Dawn)', () => {
  /** GPU programs tfjs-webgpu has compiled so far. */
  const programs = () => Object.keys((tf.backend() as unknown as { pipelineCache: object }).pipelineCache).length

  let expected: Uint8Array
  beforeAll(async () => {
    await selectBackend('wasm')
    const model = thresholdModel()
    expected = referenceMask(lasScan(), model)
    model.dispose()
    await selectBackend('webgpu') // once: a second Dawn instance in the process can crash it
  })

  // Sliced in main memory first: a run on the backend then still needs programs of its own.
  it.each([false, true])('compiles what the run then uses, without running anything (kept on the backend: %s)', { timeout: 120_000 }, async (scanOnBackend) => {
    const [scan, model] = [lasScan(), thresholdModel()]
    const [tensorsBefore, programsAtFirst] = [tf.memory().numTensors, programs()]
    await compileRunPrograms(scan, model, card, planRun(scan, 'webgpu', { scanOnBackend }))
    expect(tf.env().getBool('WEBGPU_ENGINE_COMPILE_ONLY')).toBe(false)
    expect(programs() - programsAtFirst).toBeGreaterThan(3)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    const programsBefore = programs()
    const result = await segmentVolume(scan, model, card, planRun(scan, 'webgpu', { scanOnBackend }))
    // Only the gather of the rows with lesion at the end of a run on the backend is left (its shape depends on the output).
    expect(programs() - programsBefore).toBeLessThanOrEqual(scanOnBackend ? 2 : 0)
    expect(Array.from(result.mask.data)).toEqual(Array.from(expected))
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    model.dispose()
  })
})

describeWithRealData('segmentVolume on a real scan', () => {
  it('gives the same mask whether the scan is kept on the backend or sliced in main memory (FLAIR, bundled model)', { timeout: 60_000 }, async () => {
    await selectBackend('wasm')
    const scan = readNifti(readRealFile('lesion/niivue_flair/FLAIR.nii.gz'), 'FLAIR.nii.gz').volume
    const { model, card: bundledCard } = await loadSegmentationModel(fileModelHandler('models/mr/model.json'), JSON.parse(readFileSync('models/mr/model-card.json', 'utf8')))
    const tensorsBefore = tf.memory().numTensors
    const [inMemory, onBackend] = [await segmentVolume(scan, model, bundledCard, planRun(scan, 'wasm', { scanOnBackend: false })), await segmentVolume(scan, model, bundledCard, planRun(scan, 'wasm', { scanOnBackend: true }))]
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    model.dispose()
    const [expected, actual] = [inMemory.mask.data as Uint8Array, onBackend.mask.data as Uint8Array]
    const lesion = expected.reduce((n, v) => n + v, 0)
    const differing = expected.reduce((n, v, i) => n + (v === actual[i] ? 0 : 1), 0)
    expect(lesion).toBeGreaterThan(1000)
    // Only the head statistics differ, summed in float32 on the backend against float64 here: a few voxels at the threshold.
    expect(differing).toBeLessThan(1e-4 * lesion + 10)
    expect(onBackend.slicesRun).toBe(inMemory.slicesRun)
  })
})
