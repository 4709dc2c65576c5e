/**
 * segmentVolume: scan Volume in, lesion mask Volume out, on exactly the scan's grid. The one pipeline of the
 * browser worker and the Node CLIs: normalise (the card's function) -> RAS voxel order -> axial slices
 * resampled to the model's spacing and padded -> model.predict in batches -> probabilities back to the native
 * slice grid (interpolated, then thresholded at the card's threshold) -> source voxel order.
 * Slices without head voxels are not run (their mask is empty). Every tensor is disposed.
 */
import * as tf from '@tensorflow/tfjs'
import { fromRasOrder, rasReorientation, toRasOrder } from '../volume/rasReorientation'
import type { Volume } from '../volume/volume'
import { MIN_HEAD_FRACTION, padSlices, resampledSlices, sliceGeometry, slicesWithHead, toNativeSlices } from './axialSlices'
import { normalizeVolume } from './intensityNormalization'
import type { ModelCard } from './modelCard'

export interface SegmentProgress {
  readonly slicesDone: number
  readonly slicesTotal: number
}

export interface SegmentOptions {
  /** Slices per model.predict call (default 8). */
  readonly batchSize?: number
  readonly onProgress?: (progress: SegmentProgress) => void
  /** Aborting stops before the next batch with an AbortError; nothing is kept. */
  readonly signal?: AbortSignal
  /** Share of a slice's pixels that must be head for the slice to run (default 0.5 %). */
  readonly minHeadFraction?: number
}

export interface SegmentationResult {
  readonly mask: Volume
  readonly slicesRun: number
  readonly slicesSkipped: number
}

/** A scan made ready for the model: normalised, in RAS order, with the axial slices that hold head. */
export interface PreparedScan {
  readonly orientation: ReturnType<typeof rasReorientation>
  readonly geometry: ReturnType<typeof sliceGeometry>
  /** Normalised values in RAS order. */
  readonly values: Float32Array
  readonly background: number
  /** Axial slice indices (RAS k) to run. */
  readonly slices: readonly number[]
}

export function prepareScan(volume: Volume, card: ModelCard, minHeadFraction = MIN_HEAD_FRACTION): PreparedScan {
  const normalized = normalizeVolume(volume, card.normalization)
  const orientation = rasReorientation(volume.affine, volume.dims, volume.spacing)
  const head = toRasOrder(normalized.head, orientation)
  const geometry = sliceGeometry(orientation.dims, orientation.spacing, card.input.spacingMm, card.input.sizeMultiple)
  const values = toRasOrder(normalized.values, orientation)
  return { orientation, geometry, values, background: normalized.background, slices: slicesWithHead(head, geometry, minHeadFraction) }
}

/** The model input for slices `ks` of a prepared scan: resampled to the model's spacing and padded. [b, H, W, 1] */
export function modelInput(scan: PreparedScan, ks: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => padSlices(resampledSlices(scan.values, scan.geometry, ks), scan.geometry, scan.background))
}

export async function segmentVolume(volume: Volume, model: tf.LayersModel, card: ModelCard, options: SegmentOptions = {}): Promise<SegmentationResult> {
  const { batchSize = 8, onProgress, signal, minHeadFraction = MIN_HEAD_FRACTION } = options
  const scan = prepareScan(volume, card, minHeadFraction)
  const { orientation, geometry, slices } = scan
  const sliceSize = geometry.native[0] * geometry.native[1]
  const maskRas = new Uint8Array(scan.values.length)
  for (let start = 0; start < slices.length; start += batchSize) {
    if (signal?.aborted) throw new DOMException('segmentation cancelled', 'AbortError')
    const ks = slices.slice(start, start + batchSize)
    const lesion = tf.tidy(() => {
      const input = modelInput(scan, ks) // [b, H, W, 1]
      const probabilities = toNativeSlices(model.predict(input) as tf.Tensor4D, geometry) // [b, ny, nx, 1]
      return probabilities.greaterEqual(card.threshold) // bool [b, ny, nx, 1]
    })
    const bits = (await lesion.data()) as Uint8Array
    lesion.dispose()
    ks.forEach((k, i) => maskRas.set(bits.subarray(i * sliceSize, (i + 1) * sliceSize), k * sliceSize))
    onProgress?.({ slicesDone: Math.min(start + batchSize, slices.length), slicesTotal: slices.length })
  }
  const mask: Volume = {
    ...volume,
    name: `${volume.name.replace(/(\.nii)?(\.gz)?$/i, '')}_lesion`,
    data: fromRasOrder(maskRas, orientation),
    datatype: 'uint8',
    scaling: null,
  }
  return { mask, slicesRun: slices.length, slicesSkipped: orientation.dims[2] - slices.length }
}
