/**
 * segmentVolume: scan Volume in, lesion mask Volume out, on exactly the scan's grid. The one pipeline of the
 * browser worker and the Node CLIs: normalise (the card's function) -> axial slices in RAS order -> resampled
 * to the model's spacing and padded -> model.predict in batches -> probabilities read back at the model's
 * resolution and brought to the native slice grid (interpolated, then thresholded at the card's threshold,
 * only where a lesion can be) -> written into the mask in source voxel order.
 * Slices are read and written row by row through the reorientation, never as a whole reordered copy, and
 * normalised on the backend.
 * Batches overlap: the next batch is prepared and queued while the backend still runs the last one (on
 * WebGPU and WebGL), and a batch's result is written while the next one runs.
 * Slices without head voxels are not run (their mask is empty). Every tensor is disposed.
 */
import * as tf from '@tensorflow/tfjs'
import { alongRasAxis, forEachRowOfRasSlice, rasReorientation, sourceIndexOf, type RasReorientation } from '../volume/rasReorientation'
import type { Volume } from '../volume/volume'
import { lesionPixelsOnNativeGrid, MIN_HEAD_FRACTION, padSlices, resampleSlices, sliceGeometry, slicesWithHead, type SliceGeometry } from './axialSlices'
import { analyzeIntensities, normalizedTensor, replaceNonFinite, type IntensityMapping } from './intensityNormalization'
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

/** A scan made ready for the model: its intensity mapping, its RAS slicing, and the axial slices that hold head. */
export interface PreparedScan {
  readonly volume: Volume
  readonly orientation: RasReorientation
  readonly geometry: SliceGeometry
  readonly mapping: IntensityMapping
  /** Axial slice indices (RAS k) to run. */
  readonly slices: readonly number[]
}

export function prepareScan(volume: Volume, card: ModelCard, minHeadFraction = MIN_HEAD_FRACTION): PreparedScan {
  const { mapping, headCounts } = analyzeIntensities(volume, card.normalization)
  const orientation = rasReorientation(volume.affine, volume.dims, volume.spacing)
  const geometry = sliceGeometry(orientation.dims, orientation.spacing, card.input.spacingMm, card.input.sizeMultiple)
  return { volume, orientation, geometry, mapping, slices: slicesWithHead(alongRasAxis(headCounts, orientation, 2), geometry, minHeadFraction) }
}

/**
 * Axial slices ks of a prepared scan in the scan's own units (non-finite values read as air): [ks.length, ny, nx].
 * Rows are copied whole from the source voxels where the source runs along RAS x (the usual case; reversed in
 * place where it runs towards Left), else voxel by voxel.
 */
function sourceUnitSlices({ volume, orientation, geometry, mapping }: PreparedScan, ks: readonly number[]): Float32Array {
  const sliceSize = geometry.native[0] * geometry.native[1]
  const slices = new Float32Array(ks.length * sliceSize)
  const data = volume.data
  ks.forEach((k, i) =>
    forEachRowOfRasSlice(orientation, k, (start, source, step, length) => {
      const at = i * sliceSize + start
      if (step === 1 || step === -1) {
        const first = step === 1 ? source : source - length + 1
        slices.set(data.subarray(first, first + length), at)
        if (step === -1) slices.subarray(at, at + length).reverse()
      } else {
        for (let x = 0; x < length; x++, source += step) slices[at + x] = data[source]
      }
    }),
  )
  return data instanceof Float32Array ? replaceNonFinite(slices, mapping.fill) : slices // integers are all finite
}

/** The model input for slices `ks` of a prepared scan: normalised, resampled to the model's spacing, padded. [b, H, W, 1] */
export function modelInput(scan: PreparedScan, ks: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const native = tf.tensor4d(sourceUnitSlices(scan, ks), [ks.length, ...scan.geometry.native, 1])
    return padSlices(resampleSlices(normalizedTensor(native, scan.mapping), scan.geometry), scan.geometry, scan.mapping.background)
  })
}

/** A batch queued on the backend: its slices, the model's output, and the read-back of that output under way. */
interface BatchInFlight {
  readonly ks: readonly number[]
  readonly output: tf.Tensor // [b, H, W, 1]
  readonly probabilities: Promise<Float32Array>
}

export async function segmentVolume(volume: Volume, model: tf.LayersModel, card: ModelCard, options: SegmentOptions = {}): Promise<SegmentationResult> {
  const { batchSize = 8, onProgress, signal, minHeadFraction = MIN_HEAD_FRACTION } = options
  const scan = prepareScan(volume, card, minHeadFraction)
  const { orientation, geometry, slices } = scan
  const mask = new Uint8Array(volume.data.length) // source voxel order
  const forEachLesionPixel = lesionPixelsOnNativeGrid(geometry)
  const inFlight: BatchInFlight[] = []
  let slicesDone = 0
  const queue = (ks: readonly number[]) => {
    const output = tf.tidy(() => model.predict(modelInput(scan, ks)) as tf.Tensor)
    const probabilities = output.data() as Promise<Float32Array>
    probabilities.catch(() => undefined) // a batch dropped on cancel or error must not report an unhandled rejection
    inFlight.push({ ks, output, probabilities })
  }
  const writeOldest = async () => {
    const batch = inFlight[0]
    const probabilities = await batch.probabilities
    inFlight.shift()
    batch.output.dispose()
    batch.ks.forEach((k, i) => forEachLesionPixel(probabilities, i, card.threshold, (y, x) => (mask[sourceIndexOf(orientation, x, y, k)] = 1)))
    slicesDone += batch.ks.length
    onProgress?.({ slicesDone, slicesTotal: slices.length })
  }
  try {
    for (let start = 0; start < slices.length; start += batchSize) {
      if (signal?.aborted) throw new DOMException('segmentation cancelled', 'AbortError')
      queue(slices.slice(start, start + batchSize))
      if (inFlight.length > 1) await writeOldest()
    }
    while (inFlight.length > 0) await writeOldest()
  } finally {
    tf.dispose(inFlight.map((b) => b.output))
  }
  return {
    mask: { ...volume, name: `${volume.name.replace(/(\.nii)?(\.gz)?$/i, '')}_lesion`, data: mask, datatype: 'uint8', scaling: null },
    slicesRun: slices.length,
    slicesSkipped: orientation.dims[2] - slices.length,
  }
}
