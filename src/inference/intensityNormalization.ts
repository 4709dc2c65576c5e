/**
 * The one intensity normalisation shared by training (Node) and segmentation (browser and Node), named in
 * each model card so that a model always sees the values it was trained on.
 * - 'mr-zscore': MR has arbitrary units. Mean and standard deviation over the head (voxels above 10 % of the
 *   99th percentile), then clipped to +-clip.
 * - 'ct-window': CT is in Hounsfield units. (HU - center) / (width / 2), clipped to +-clip: the brain
 *   window W80/L40 maps grey and white matter and infarcts into [-1, 1].
 */
import type { Volume } from '../volume/volume'

export type Normalization =
  | { readonly kind: 'mr-zscore'; readonly clip: number }
  | { readonly kind: 'ct-window'; readonly center: number; readonly width: number; readonly clip: number }

export const MR_NORMALIZATION: Normalization = { kind: 'mr-zscore', clip: 5 }
export const CT_NORMALIZATION: Normalization = { kind: 'ct-window', center: 40, width: 80, clip: 3 }

export interface NormalizedVolume {
  /** Normalised values in the volume's own voxel order. */
  readonly values: Float32Array
  /** 1 where the voxel belongs to the head (tissue, not air): slices without any are skipped. */
  readonly head: Uint8Array
  /** The normalised value of air, used to pad slices. */
  readonly background: number
}

/** The q-th quantile (0..1) estimated from at most ~200k evenly strided finite samples. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const stride = Math.max(1, Math.floor(values.length / 200_000))
  const sample: number[] = []
  for (let i = 0; i < values.length; i += stride) if (Number.isFinite(values[i])) sample.push(values[i])
  if (sample.length === 0) return NaN
  sample.sort((a, b) => a - b)
  return sample[Math.min(sample.length - 1, Math.floor(q * sample.length))]
}

const clamp = (v: number, limit: number) => (v > limit ? limit : v < -limit ? -limit : v)

export function normalizeVolume(volume: Volume, normalization: Normalization): NormalizedVolume {
  const real = volume.data // real units already: readers apply the file's scaling
  const values = new Float32Array(real.length)
  const head = new Uint8Array(real.length)
  if (normalization.kind === 'ct-window') {
    const halfWidth = normalization.width / 2
    for (let i = 0; i < real.length; i++) {
      const v = Number.isFinite(real[i]) ? real[i] : -1000
      values[i] = clamp((v - normalization.center) / halfWidth, normalization.clip)
      head[i] = v > -200 ? 1 : 0 // soft tissue and bone, not air
    }
    return { values, head, background: -normalization.clip }
  }
  const threshold = 0.1 * quantile(real, 0.99)
  let sum = 0
  let sumSquares = 0
  let n = 0
  for (let i = 0; i < real.length; i++) {
    if (real[i] > threshold) {
      head[i] = 1
      sum += real[i]
      sumSquares += real[i] * real[i]
      n++
    }
  }
  if (n === 0) throw new Error(`${volume.name}: no voxel above the background, nothing to segment`)
  const mean = sum / n
  const sd = Math.sqrt(Math.max(sumSquares / n - mean * mean, 0)) || 1
  for (let i = 0; i < real.length; i++) values[i] = clamp(((Number.isFinite(real[i]) ? real[i] : 0) - mean) / sd, normalization.clip)
  return { values, head, background: clamp(-mean / sd, normalization.clip) }
}
