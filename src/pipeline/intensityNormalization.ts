/**
 * The one intensity normalisation shared by training (Node) and segmentation (browser and Node), named in
 * each model card so that a model always sees the values it was trained on.
 * - 'mr-zscore': MR has arbitrary units. Mean and standard deviation over the head (voxels above 10 % of the
 *   99th percentile), then clipped to +-clip.
 * - 'ct-window': CT is in Hounsfield units. (HU - center) / (width / 2), clipped to +-clip: the brain
 *   window W80/L40 maps grey and white matter and infarcts into [-1, 1].
 */
import * as tf from '@tensorflow/tfjs'
import { isNarrowInteger, lowestValueOf, type NarrowIntegerArray, type Volume } from '../volume/volume'

export type Normalization =
  | { readonly kind: 'mr-zscore'; readonly clip: number }
  | { readonly kind: 'ct-window'; readonly center: number; readonly width: number; readonly clip: number }

export const MR_NORMALIZATION: Normalization = { kind: 'mr-zscore', clip: 5 }
export const CT_NORMALIZATION: Normalization = { kind: 'ct-window', center: 40, width: 80, clip: 3 }

/**
 * What a normalisation does to one scan: normalised = clamp((v - offset) / scale, +-clip), non-finite values
 * read as `fill` (air). Voxels above `headAbove` (after the fill) are head: tissue, not air.
 */
export interface IntensityMapping {
  readonly offset: number
  readonly scale: number
  readonly clip: number
  readonly fill: number
  readonly headAbove: number
  /** The normalised value of air, used to pad slices. */
  readonly background: number
}

export interface IntensityAnalysis {
  readonly mapping: IntensityMapping
  /** Head voxels per index along source voxel axis 0, 1 and 2 (slices without any are skipped). */
  readonly headCounts: readonly [Uint32Array, Uint32Array, Uint32Array]
}

/**
 * The card's normalisation of finite values in real units, on the backend: clamp((v - offset) / scale, +-clip).
 * Training and segmentation both normalise with it (after replaceNonFinite). [any shape] -> the same shape.
 */
export function normalizedTensor<T extends tf.Tensor>(values: T, m: IntensityMapping): T {
  return tf.tidy(() => values.sub(m.offset).div(m.scale).clipByValue(-m.clip, m.clip) as T)
}

/** Non-finite values (NaN, +-Infinity) read as `fill` (air), in place; returns `values`. */
export function replaceNonFinite(values: Float32Array, fill: number): Float32Array {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) values[i] = fill
  return values
}

/** The scan's mapping and head counts, in one pass over the voxels (after a sampled quantile for MR). */
export function analyzeIntensities(volume: Volume, normalization: Normalization): IntensityAnalysis {
  const headAbove = headThreshold(volume, normalization)
  return intensityAnalysis(volume.name, normalization, headAbove, headStatistics(volume, airValue(normalization), headAbove))
}

/** The value that non-finite voxels read as: air. */
export function airValue(normalization: Normalization): number {
  return normalization.kind === 'ct-window' ? -1000 : 0
}

/** Voxels above this are head (tissue, not air). */
export function headThreshold(volume: Volume, normalization: Normalization): number {
  return normalization.kind === 'ct-window' ? -200 : 0.1 * quantile(volume.data, 0.99)
}

/** Count, sum and sum of squares of a scan's head voxels, and their counts along each source voxel axis. */
export interface HeadStatistics {
  readonly n: number
  readonly sum: number
  readonly sumSquares: number
  readonly headCounts: readonly [Uint32Array, Uint32Array, Uint32Array]
}

/** The mapping that the head statistics give, wherever they were counted (in JavaScript or on the backend). */
export function intensityAnalysis(name: string, normalization: Normalization, headAbove: number, { n, sum, sumSquares, headCounts }: HeadStatistics): IntensityAnalysis {
  if (normalization.kind === 'ct-window') {
    const [offset, scale, clip] = [normalization.center, normalization.width / 2, normalization.clip] // CT: soft tissue and bone, not air
    return { mapping: { offset, scale, clip, fill: airValue(normalization), headAbove, background: -clip }, headCounts }
  }
  if (n === 0) throw new Error(`${name}: no voxel above the background, nothing to segment`)
  const mean = sum / n
  const sd = Math.sqrt(Math.max(sumSquares / n - mean * mean, 0)) || 1
  const clip = normalization.clip
  return { mapping: { offset: mean, scale: sd, clip, fill: airValue(normalization), headAbove, background: clamp(-mean / sd, clip) }, headCounts }
}

function headStatistics(volume: Volume, fill: number, headAbove: number): HeadStatistics {
  const [nx, ny, nz] = volume.dims
  const data = volume.data // real units already: readers apply the file's scaling
  const headCounts: [Uint32Array, Uint32Array, Uint32Array] = [new Uint32Array(nx), new Uint32Array(ny), new Uint32Array(nz)]
  const [alongX, alongY, alongZ] = headCounts
  let [n, sum, sumSquares] = [0, 0, 0]
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let inRow = 0
      for (let x = 0; x < nx; x++, i++) {
        const v = Number.isFinite(data[i]) ? data[i] : fill
        if (v > headAbove) {
          inRow++
          alongX[x]++
          sum += v
          sumSquares += v * v
        }
      }
      alongY[y] += inRow
      alongZ[z] += inRow
      n += inRow
    }
  }
  return { n, sum, sumSquares, headCounts }
}

/** The q-th quantile (0..1) estimated from at most ~200k evenly strided finite samples. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const stride = Math.max(1, Math.floor(values.length / 200_000))
  if (isNarrowInteger(values)) return quantileByCounting(values, stride, q)
  const strided = new Float64Array(Math.ceil(values.length / stride))
  let n = 0
  for (let i = 0; i < values.length; i += stride) if (Number.isFinite(values[i])) strided[n++] = values[i]
  return n === 0 ? NaN : kthSmallest(strided.subarray(0, n), Math.min(n - 1, Math.floor(q * n)))
}

/** quantile() of 1- and 2-byte integers: the same sample value, found by counting the values (no sort, no selection). */
function quantileByCounting(values: NarrowIntegerArray, stride: number, q: number): number {
  const lowest = lowestValueOf(values)
  const counts = new Uint32Array(2 ** (8 * values.BYTES_PER_ELEMENT))
  let n = 0
  for (let i = 0; i < values.length; i += stride, n++) counts[values[i] - lowest]++
  const rank = Math.min(n - 1, Math.floor(q * n))
  let [value, atOrBelow] = [0, counts[0]] // samples at or below value
  while (atOrBelow <= rank) atOrBelow += counts[++value]
  return value + lowest
}

/** The k-th smallest value (0-based) of `values`, which it reorders: Hoare's selection, linear on average. */
function kthSmallest(values: Float64Array, k: number): number {
  let [low, high] = [0, values.length - 1]
  while (low < high) {
    const pivot = values[(low + high) >>> 1]
    let [i, j] = [low, high]
    while (i <= j) {
      while (values[i] < pivot) i++
      while (values[j] > pivot) j--
      if (i <= j) {
        const t = values[i]
        values[i++] = values[j]
        values[j--] = t
      }
    }
    if (k <= j) high = j
    else if (k >= i) low = i
    else return values[k]
  }
  return values[k]
}

const clamp = (v: number, limit: number) => (v > limit ? limit : v < -limit ? -limit : v)
