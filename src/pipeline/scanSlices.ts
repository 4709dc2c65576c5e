/**
 * A scan made ready for the model (its intensity mapping, its RAS slicing, the axial slices that hold head) and
 * the two ways segmentVolume cuts it into model input and writes the model's output into the mask: here, in
 * main memory (JavaScript reads rows of voxels and interpolates the output), and `scanOnBackend.ts`, on the GPU.
 */
import * as tf from '@tensorflow/tfjs'
import { alongRasAxis, forEachRowOfRasSlice, rasReorientation, sourceIndexOf, type RasReorientation } from '../volume/rasReorientation'
import type { Volume } from '../volume/volume'
import { lesionPixelsOnNativeGrid, MIN_HEAD_FRACTION, padSlices, resampleSlices, sliceGeometry, slicesWithHead, type SliceGeometry } from './axialSlices'
import { airValue, analyzeIntensities, normalizedTensor, replaceNonFinite, type IntensityAnalysis, type IntensityMapping } from './intensityNormalization'
import { centreLineOf, estimateMidline, mirrorTransformOf, withMirrorChannel, type PixelTransform } from './midline'
import { maskValueOf, type ModelCard } from './modelCard'

export interface PreparedScan {
  readonly volume: Volume
  readonly orientation: RasReorientation
  readonly geometry: SliceGeometry
  readonly mapping: IntensityMapping
  /** Axial slice indices (RAS k) to run. */
  readonly slices: readonly number[]
  /** For a model with the card's `input.mirrorChannel`: the reflection about the head's midline (midline.ts). */
  readonly mirror: PixelTransform | null
}

/** How a run cuts its chunks of slices from the scan and writes the model's output into the mask (source voxel order). */
export interface ScanSlicer {
  readonly scan: PreparedScan
  /** The model input for a chunk of slices, in batches of batchSize: normalised, resampled, padded. [b, H, W, 1] each */
  inputs(chunk: readonly number[], batchSize: number): tf.Tensor4D[]
  /**
   * Starts bringing back the model's output for a chunk ([b, H, W, 1] per batch, which it takes over); the
   * function it returns waits for that and writes the chunk's lesion voxels (some may wait for `finish`).
   */
  collect(chunk: readonly number[], outputs: tf.Tensor4D[]): () => Promise<void>
  /** Writes what is still pending once every chunk has been collected. */
  finish(): Promise<void>
  /**
   * The backend steps of one chunk as a run takes them (inputs, the model, what is done to its output before the
   * read-back), reading nothing back: in tfjs's compile-only mode this compiles the run's programs. The tensors
   * are left to the caller's tidy.
   */
  stepsOf(chunk: readonly number[], batchSize: number, predict: (input: tf.Tensor4D) => tf.Tensor4D): void
  /** Frees every tensor it still holds (also after an abort or an error). */
  dispose(): void
}

/** Consecutive batches of at most batchSize slices. */
export function batchesOf(chunk: readonly number[], batchSize: number): number[][] {
  const batches: number[][] = []
  for (let start = 0; start < chunk.length; start += batchSize) batches.push(chunk.slice(start, start + batchSize))
  return batches
}

/** The scan with the intensity analysis it was given (counted in JavaScript or on the backend). */
export function preparedScanOf(volume: Volume, { mapping, headCounts }: IntensityAnalysis, card: ModelCard, minHeadFraction: number): PreparedScan {
  const { orientation, geometry } = slicingOf(volume, card)
  const slices = slicesWithHead(alongRasAxis(headCounts, orientation, 2), geometry, minHeadFraction)
  const spacing = [orientation.spacing[0], orientation.spacing[1]] as const
  const mirror = card.input.mirrorChannel ? mirrorTransformOf(estimateMidline(volume, orientation, mapping, slices), geometry, spacing) : null
  return { volume, orientation, geometry, mapping, slices, mirror }
}

/**
 * The scan sliced as a run will slice it, before its intensities are analysed: a stand-in mapping (the card's
 * clip and air; values that change no tensor's shape) and every axial slice. For compiling a run's programs.
 */
export function unanalysedScan(volume: Volume, card: ModelCard): PreparedScan {
  const { orientation, geometry } = slicingOf(volume, card)
  const fill = airValue(card.normalization)
  const mapping = { offset: 0, scale: 1, clip: card.normalization.clip, fill, headAbove: fill, background: 0 }
  const spacing = [orientation.spacing[0], orientation.spacing[1]] as const
  const mirror = card.input.mirrorChannel ? mirrorTransformOf(centreLineOf(orientation.dims, spacing), geometry, spacing) : null
  return { volume, orientation, geometry, mapping, slices: Array.from({ length: orientation.dims[2] }, (_, k) => k), mirror }
}

function slicingOf(volume: Volume, card: ModelCard): { orientation: RasReorientation; geometry: SliceGeometry } {
  const orientation = rasReorientation(volume.affine, volume.dims, volume.spacing)
  const minSize = card.input.padToTrainingSize ? card.input.trainingSize : 0
  return { orientation, geometry: sliceGeometry(orientation.dims, orientation.spacing, card.input.spacingMm, card.input.sizeMultiple, minSize) }
}

export function prepareScan(volume: Volume, card: ModelCard, minHeadFraction = MIN_HEAD_FRACTION): PreparedScan {
  return preparedScanOf(volume, analyzeIntensities(volume, card.normalization), card, minHeadFraction)
}

/** Normalised axial slices on the native grid [b, ny, nx, 1] -> model input [b, H, W, 1], or [b, H, W, 2] with the mirror channel. */
export function modelInputOf(normalised: tf.Tensor4D, { geometry, mapping, mirror }: PreparedScan): tf.Tensor4D {
  return tf.tidy(() => {
    const slices = padSlices(resampleSlices(normalised, geometry), geometry, mapping.background)
    return mirror ? withMirrorChannel(slices, mirror, mapping.background) : slices
  })
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

/** The model input for slices `ks`, cut in JavaScript from the voxels in main memory. [b, H, W, 1] */
export function modelInput(scan: PreparedScan, ks: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => modelInputOf(normalizedTensor(tf.tensor4d(sourceUnitSlices(scan, ks), [ks.length, ...scan.geometry.native, 1]), scan.mapping), scan))
}

/**
 * The scan sliced in main memory: rows of voxels copied in JavaScript, each batch's output read back at the
 * model's resolution and brought to the native grid in JavaScript (only on rows where a lesion can be). Best
 * where the backend itself runs on the CPU (WASM).
 */
export function slicesInMemory(scan: PreparedScan, card: Pick<ModelCard, 'threshold' | 'seedThreshold'>, mask: Uint8Array): ScanSlicer {
  const forEachLesionPixel = lesionPixelsOnNativeGrid(scan.geometry)
  const held = new Set<tf.Tensor>()
  return {
    scan,
    inputs: (chunk, batchSize) => batchesOf(chunk, batchSize).map((ks) => modelInput(scan, ks)),
    collect: (chunk, outputs) => {
      const readBacks = outputs.map((output) => {
        held.add(output)
        const probabilities = output.data() as Promise<Float32Array>
        probabilities.catch(() => undefined) // a chunk dropped on cancel or error must not report an unhandled rejection
        return { output, probabilities }
      })
      return async () => {
        let first = 0 // index in the chunk of the batch's first slice
        for (const { output, probabilities } of readBacks) {
          const values = await probabilities
          held.delete(output)
          output.dispose()
          for (let i = 0; i < output.shape[0]; i++) {
            const k = chunk[first + i]
            forEachLesionPixel(values, i, card.threshold, (y, x, p) => (mask[sourceIndexOf(scan.orientation, x, y, k)] = maskValueOf(p, card)))
          }
          first += output.shape[0]
        }
      }
    },
    finish: async () => undefined,
    stepsOf: (chunk, batchSize, predict) => void batchesOf(chunk, batchSize).map((ks) => predict(modelInput(scan, ks))), // read back as they are
    dispose: () => tf.dispose([...held]),
  }
}
