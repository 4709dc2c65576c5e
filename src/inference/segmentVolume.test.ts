import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../training/backend/selectBackend'
import type { Affine } from '../volume/affine'
import { alongRasAxis, fromRasOrder, rasReorientation, toRasOrder } from '../volume/rasReorientation'
import type { Volume } from '../volume/volume'
import { padSlices, resampleSlices, sliceGeometry, slicesWithHead, toNativeSlices } from './axialSlices'
import { normalizeVolume } from './intensityNormalization'
import type { ModelCard } from './modelCard'
import { segmentVolume } from './segmentVolume'

/** The bundled MR card with 1.5 mm input spacing, so that the 1 x 1.2 mm test slices are resampled both ways. */
const card: ModelCard = { ...JSON.parse(readFileSync('models/t1-transplant/model-card.json', 'utf8')), input: { plane: 'axial', orientation: 'RAS', spacingMm: 1.5, sizeMultiple: 16, trainingSize: 128 } }

/** A model whose output is a fixed function of the input: sigmoid(4 x - 2) at each pixel (lesion where x >= 0.5). */
function thresholdModel(): tf.LayersModel {
  const input = tf.input({ shape: [null, null, 1] })
  const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', weights: [tf.tensor4d([4], [1, 1, 1, 1]), tf.tensor1d([-2])] })
  return tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor })
}

/** A scan stored L-P-I with axes permuted (x runs towards I, z towards P): 20 x 18 x 14, some slices empty. */
function obliqueScan(): Volume {
  const dims: [number, number, number] = [20, 18, 14]
  const affine: Affine = [[0, -1, 0, 40], [0, 0, -1.2, 30], [-1, 0, 0, 20], [0, 0, 0, 1]]
  const data = new Float32Array(dims[0] * dims[1] * dims[2])
  for (let z = 0, i = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++, i++) data[i] = x < 3 ? 0 : 100 + ((x * 7 + y * 13 + z * 29) % 41) * (y > 9 ? 3 : 1)
    }
  }
  return { name: 'oblique.nii.gz', dims, spacing: [1, 1.2, 1], affine, data, datatype: 'float32', scaling: null, modality: 'MR' }
}

/** The pipeline done the plain way: the whole volume reordered, every head slice at once, reordered back. */
function referenceMask(scan: Volume, model: tf.LayersModel): Uint8Array {
  const normalized = normalizeVolume(scan, card.normalization)
  const orientation = rasReorientation(scan.affine, scan.dims, scan.spacing)
  const geometry = sliceGeometry(orientation.dims, orientation.spacing, card.input.spacingMm, card.input.sizeMultiple)
  const ks = slicesWithHead(alongRasAxis(normalized.headCounts, orientation, 2), geometry)
  const values = toRasOrder(normalized.values, orientation)
  const sliceSize = geometry.native[0] * geometry.native[1]
  const maskRas = new Uint8Array(values.length)
  const bits = tf.tidy(() => {
    const slices = tf.tensor4d(ks.flatMap((k) => Array.from(values.subarray(k * sliceSize, (k + 1) * sliceSize))), [ks.length, ...geometry.native, 1])
    const input = padSlices(resampleSlices(slices, geometry), geometry, normalized.mapping.background)
    return toNativeSlices(model.predict(input) as tf.Tensor4D, geometry).greaterEqual(card.threshold).dataSync()
  })
  ks.forEach((k, i) => maskRas.set(bits.subarray(i * sliceSize, (i + 1) * sliceSize), k * sliceSize))
  return fromRasOrder(maskRas, orientation)
}

describe('segmentVolume', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it('gives the mask of the plain whole-volume pipeline, on the scan grid, in batches of any size', async () => {
    const scan = obliqueScan()
    const model = thresholdModel()
    const expected = referenceMask(scan, model)
    expect(expected.some((v) => v === 1) && expected.some((v) => v === 0)).toBe(true)
    const tensorsBefore = tf.memory().numTensors
    for (const batchSize of [1, 3, 8, 64]) {
      const progress: number[] = []
      const result = await segmentVolume(scan, model, card, { batchSize, onProgress: (p) => progress.push(p.slicesDone) })
      expect(result.mask.dims).toEqual(scan.dims)
      expect(result.mask.affine).toEqual(scan.affine)
      expect(result.slicesRun + result.slicesSkipped).toBe(20) // RAS z is source x
      expect(result.slicesSkipped).toBe(3)
      expect(Array.from(result.mask.data)).toEqual(Array.from(expected))
      expect(progress.at(-1)).toBe(result.slicesRun)
      expect(progress).toEqual([...progress].sort((a, b) => a - b))
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    model.dispose()
  })

  it('stops on abort with an AbortError and leaves no tensor behind', async () => {
    const model = thresholdModel()
    const tensorsBefore = tf.memory().numTensors
    const controller = new AbortController()
    const run = segmentVolume(obliqueScan(), model, card, { batchSize: 2, signal: controller.signal, onProgress: () => controller.abort() })
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    model.dispose()
  })
})
