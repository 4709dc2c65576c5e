/**
 * Training slices: each case is normalised with the model's function, put in RAS order and resampled to the
 * model's in-plane spacing once (the same code as segmentation), then batches are drawn at random, with
 * lesion slices over-represented, augmented (flips, small rotations and scales, intensity) and cropped or
 * padded to the training size. The batch drawn depends only on (seed, epoch, step): resuming reproduces it.
 */
import * as tf from '@tensorflow/tfjs'
import { resampleSlices, sliceGeometry, slicesWithHead } from '../../pipeline/axialSlices'
import { analyzeIntensities, normalizedTensor, replaceNonFinite, type Normalization } from '../../pipeline/intensityNormalization'
import { alongRasAxis, rasReorientation, toRasOrder } from '../../volume/rasReorientation'
import type { LoadedCase } from './datasetLayout'
import { createRandom, deriveSeed, type Random } from './random'

export interface PreparedCase {
  readonly id: string
  /** [slices, rows, columns] at the model spacing, normalised; RAS axial. */
  readonly images: Float32Array
  readonly masks: Uint8Array
  readonly rows: number
  readonly columns: number
  readonly slices: number
  readonly background: number
  /** Slices with any head voxel, and those with lesion. */
  readonly headSlices: readonly number[]
  readonly lesionSlices: readonly number[]
}

export function prepareCase(c: LoadedCase, normalization: Normalization, spacingMm: number): PreparedCase {
  const { mapping, headCounts } = analyzeIntensities(c.image, normalization)
  const orientation = rasReorientation(c.image.affine, c.image.dims, c.image.spacing)
  const geometry = sliceGeometry(orientation.dims, orientation.spacing, spacingMm, 1)
  const ks = Array.from({ length: orientation.dims[2] }, (_, k) => k)
  /** RAS-ordered values as slices [slices, ny, nx, 1], through `transform`, resampled to the model's spacing. */
  const resample = (values: Float32Array, transform: (slices: tf.Tensor4D) => tf.Tensor4D) => {
    const t = tf.tidy(() => resampleSlices(transform(tf.tensor4d(values, [ks.length, ...geometry.native, 1])), geometry))
    const data = t.dataSync() as Float32Array
    t.dispose()
    return data
  }
  const raw = replaceNonFinite(toRasOrder(new Float32Array(c.image.data), orientation), mapping.fill)
  const images = resample(raw, (slices) => normalizedTensor(slices, mapping)) // as segmentVolume: normalised, then resampled
  const maskValues = resample(toRasOrder(Float32Array.from(c.mask.data, (v) => (v > 0 ? 1 : 0)), orientation), (slices) => slices)
  const masks = Uint8Array.from(maskValues, (v) => (v >= 0.5 ? 1 : 0))
  const [rows, columns] = geometry.resampled
  const size = rows * columns
  // The slices segmentation runs: the same rule on the same head mask.
  const headSlices = slicesWithHead(alongRasAxis(headCounts, orientation, 2), geometry)
  const lesionSlices = ks.filter((k) => masks.subarray(k * size, (k + 1) * size).some((v) => v > 0))
  return { id: c.id, images, masks, rows, columns, slices: ks.length, background: mapping.background, headSlices, lesionSlices }
}

export interface SamplerOptions {
  readonly size: number
  readonly batch: number
  /** Share of each batch drawn from lesion slices (default 0.5). */
  readonly lesionFraction: number
  readonly augment: boolean
  readonly seed: number
}

export interface SliceBatch {
  readonly images: Float32Array // [batch, size, size, 1]
  readonly masks: Float32Array
}

export function sampleBatch(cases: readonly PreparedCase[], o: SamplerOptions, epoch: number, step: number): SliceBatch {
  const random = createRandom(deriveSeed(o.seed, 'batch', epoch, step))
  const withLesion = cases.filter((c) => c.lesionSlices.length > 0)
  const pixels = o.size * o.size
  const images = new Float32Array(o.batch * pixels)
  const masks = new Float32Array(o.batch * pixels)
  for (let b = 0; b < o.batch; b++) {
    const lesion = withLesion.length > 0 && random.chance(o.lesionFraction)
    const c = random.pick(lesion ? withLesion : cases)
    const k = random.pick(lesion ? c.lesionSlices : c.headSlices.length > 0 ? c.headSlices : [Math.floor(c.slices / 2)])
    writeAugmentedSlice(c, k, o, random, images.subarray(b * pixels, (b + 1) * pixels), masks.subarray(b * pixels, (b + 1) * pixels))
  }
  return { images, masks }
}

/**
 * Slice k of case c into the size x size outputs, centred, through a random similarity transform (flip left-
 * right, rotation +-10 degrees, scale 0.9-1.1, shift +-8 px) when augmenting: bilinear for the image, nearest
 * for the mask; then intensity gain 0.9-1.1, offset +-0.1, gamma-like curve, noise.
 */
export function writeAugmentedSlice(c: PreparedCase, k: number, o: Pick<SamplerOptions, 'size' | 'augment'>, random: Random, image: Float32Array, mask: Float32Array): void {
  const size = o.size
  const flip = o.augment && random.chance(0.5)
  const angle = o.augment ? (random.uniform(-10, 10) * Math.PI) / 180 : 0
  const scale = o.augment ? random.uniform(0.9, 1.1) : 1
  const [shiftX, shiftY] = o.augment ? [random.uniform(-8, 8), random.uniform(-8, 8)] : [0, 0]
  const [gain, offset, curve, noise] = o.augment ? [random.uniform(0.9, 1.1), random.uniform(-0.1, 0.1), random.uniform(-0.1, 0.1), random.uniform(0, 0.05)] : [1, 0, 0, 0]
  const [cos, sin] = [Math.cos(angle) / scale, Math.sin(angle) / scale]
  const base = k * c.rows * c.columns
  const [cx, cy] = [(c.columns - 1) / 2, (c.rows - 1) / 2]
  const half = (size - 1) / 2
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (flip ? half - (x - half) : x) - half - shiftX
      const v = y - half - shiftY
      const sx = cx + cos * u - sin * v
      const sy = cy + sin * u + cos * v
      const i = y * size + x
      const value = bilinear(c.images, base, c.rows, c.columns, sx, sy, c.background)
      image[i] = o.augment ? gain * (value + curve * value * Math.abs(value) * 0.2) + offset + noise * random.normal() : value
      const [nx, ny] = [Math.round(sx), Math.round(sy)]
      mask[i] = nx >= 0 && ny >= 0 && nx < c.columns && ny < c.rows ? c.masks[base + ny * c.columns + nx] : 0
    }
  }
}

function bilinear(values: Float32Array, base: number, rows: number, columns: number, x: number, y: number, outside: number): number {
  if (x < 0 || y < 0 || x > columns - 1 || y > rows - 1) return outside
  const [x0, y0] = [Math.min(Math.floor(x), columns - 2), Math.min(Math.floor(y), rows - 2)].map((v) => Math.max(0, v))
  const [fx, fy] = [x - x0, y - y0]
  const at = (xx: number, yy: number) => values[base + Math.min(yy, rows - 1) * columns + Math.min(xx, columns - 1)]
  return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1))
}

export function batchTensors(batch: SliceBatch, size: number): { images: tf.Tensor4D; masks: tf.Tensor4D } {
  const n = batch.images.length / (size * size)
  return { images: tf.tensor4d(batch.images, [n, size, size, 1]), masks: tf.tensor4d(batch.masks, [n, size, size, 1]) }
}
