/**
 * segmentVolume: scan Volume in, lesion mask Volume out, on exactly the scan's grid. The one pipeline of the
 * browser worker and the Node CLIs: normalise (the card's function) -> axial slices in RAS order -> resampled
 * to the model's spacing and padded -> the model's probabilities in batches (predictSlices.ts) -> probabilities brought to the native slice
 * grid (interpolated, then thresholded at the card's threshold) -> written into the mask in source voxel order.
 * Where the slices are cut and the output interpolated depends on the backend (`scanSlices.ts`): on the GPU
 * backends the scan is kept on the GPU (`scanOnBackend.ts`); on WASM and for scans too large for that,
 * JavaScript reads rows of voxels from main memory. Both give the same mask.
 * How the slices are batched and where the scan is kept is the run plan it is handed (`runPlan.ts`). Slices go
 * through in chunks of batches: one batch at first, twice as many after each chunk that took under
 * CHUNK_GROWTH_MS, up to the plan's largest chunk (a fast GPU then spends its time on the model, not on the steps
 * around it; a slow backend still reports progress and stops on cancel within a chunk).
 * Chunks overlap: the next is queued while the backend still runs the last (on WebGPU and WebGL), and a
 * chunk's result is written while the next one runs. Slices without head voxels are not run (their mask is
 * empty). Last, with a `seedThreshold` in the card only lesions that reach it somewhere are kept (hysteresis),
 * lesions smaller than the card's `minLesionMl` are dropped, and so are lesions mostly outside the region it is
 * handed (the brain: segmentScan.ts). Every tensor is disposed.
 */
import * as tf from '@tensorflow/tfjs'
import { keepLesions, type LesionRegion } from '../volume/connectedComponents'
import type { Volume } from '../volume/volume'
import { MIN_HEAD_FRACTION } from './axialSlices'
import type { ModelCard } from './modelCard'
import { predictSlices } from './predictSlices'
import type { NamedContrast } from './scanContrast'
import { CHUNK_GROWTH_MS, runSlices, type RunPlan } from './runPlan'
import { slicesOnBackend } from './scanOnBackend'
import { prepareScan, slicesInMemory, type ScanSlicer } from './scanSlices'

export interface SegmentProgress {
  readonly slicesDone: number
  readonly slicesTotal: number
}

export interface SegmentOptions {
  readonly onProgress?: (progress: SegmentProgress) => void
  /** Aborting stops before the next chunk with an AbortError; nothing is kept. */
  readonly signal?: AbortSignal
  /** Share of a slice's pixels that must be head for the slice to run (default 0.5 %). */
  readonly minHeadFraction?: number
  /** Where lesions may lie (the brain, segmentScan.ts): lesions mostly outside it are dropped. */
  readonly region?: LesionRegion
  /** The scan's MR contrast as its files name it (scanContrast.ts), for a model told the contrast; absent: not named. */
  readonly contrast?: NamedContrast | null
}

export interface SegmentationResult {
  readonly mask: Volume
  readonly slicesRun: number
  readonly slicesSkipped: number
  /** Lesions dropped for lying mostly outside `options.region`. */
  readonly lesionsOutsideRegion: number
}

/** Runs `plan` (runPlan.ts, made by the caller for the backend it runs on) on `volume` with `model`. */
export async function segmentVolume(volume: Volume, model: tf.LayersModel, card: ModelCard, plan: RunPlan, options: SegmentOptions = {}): Promise<SegmentationResult> {
  const { onProgress, signal, minHeadFraction = MIN_HEAD_FRACTION, region, contrast = null } = options
  const mask = new Uint8Array(volume.data.length) // source voxel order
  const slicer: ScanSlicer = plan.scanOnBackend
    ? await slicesOnBackend(volume, card, minHeadFraction, mask)
    : slicesInMemory(prepareScan(volume, card, minHeadFraction), card, mask)
  const { orientation, slices } = slicer.scan
  const { batch, maxBatchesPerChunk } = plan
  const inFlight: Array<{ readonly size: number; readonly written: () => Promise<void> }> = []
  let [slicesDone, batchesPerChunk, lastWritten] = [0, 1, performance.now()]
  const writeOldest = async () => {
    const chunk = inFlight[0]
    await chunk.written()
    inFlight.shift()
    const now = performance.now()
    if (now - lastWritten < CHUNK_GROWTH_MS) batchesPerChunk = Math.min(2 * batchesPerChunk, maxBatchesPerChunk)
    lastWritten = now
    slicesDone += chunk.size
    onProgress?.({ slicesDone, slicesTotal: slices.length })
  }
  try {
    for (let start = 0; start < slices.length; ) {
      if (signal?.aborted) throw new DOMException('segmentation cancelled', 'AbortError')
      const chunk = slices.slice(start, start + batchesPerChunk * batch)
      const run = runSlices(plan, chunk)
      const inputs = slicer.inputs(run, batch)
      const outputs: tf.Tensor4D[] = [] // [b, H, W, 1] each
      try {
        for (const input of inputs) outputs.push(predictSlices(model, card, input, contrast))
      } catch (error) {
        tf.dispose(outputs)
        throw error
      } finally {
        tf.dispose(inputs)
      }
      inFlight.push({ size: chunk.length, written: slicer.collect(run, outputs) })
      start += chunk.length
      if (inFlight.length > 1) await writeOldest()
    }
    while (inFlight.length > 0) await writeOldest()
    await slicer.finish()
  } finally {
    slicer.dispose()
  }
  const { outsideRegion } = keepLesions(mask, volume.dims, volume.spacing, { seeded: card.seedThreshold !== undefined, minMl: card.minLesionMl ?? 0, region })
  return {
    mask: { ...volume, name: `${volume.name.replace(/(\.nii)?(\.gz)?$/i, '')}_lesion`, data: mask, datatype: 'uint8', scaling: null },
    slicesRun: slices.length,
    slicesSkipped: orientation.dims[2] - slices.length,
    lesionsOutsideRegion: outsideRegion,
  }
}
