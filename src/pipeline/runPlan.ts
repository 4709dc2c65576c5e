/**
 * The run plan: how segmentVolume cuts a scan into model calls on a backend, as a pure function of the scan's
 * grid, the backend's name and the batch size asked for. segmentVolume runs it, compileRunPrograms compiles its
 * programs ahead, measureInference times its batches: one plan, worked out in one place.
 *
 * tfjs-webgl compiles a GPU program for each operation and exact set of tensor shapes, so there a run keeps to
 * one batch shape and one chunk shape, whose programs the worker compiles before the run: batches of `batch`
 * slices, the scan's depth split evenly into batches of at most batchSize (a short last batch is rare and short by
 * little; it is filled up with its last slice again), one batch per chunk. tfjs-webgpu keys its programs by rank
 * and a few size classes and WASM compiles none: there batches of batchSize, and chunks that grow. On the GPU
 * backends the scan is kept on the backend when it fits (`scanOnBackend.ts`); elsewhere it is sliced in main
 * memory (`scanSlices.ts`).
 */
import { rasReorientation } from '../volume/rasReorientation'
import type { Volume } from '../volume/volume'

/** Slices per model.predict call unless asked otherwise. */
export const DEFAULT_BATCH = 8
/** A chunk that took less wall time than this lets the next one be twice as large. */
export const CHUNK_GROWTH_MS = 100
export const MAX_BATCHES_PER_CHUNK = 8
/**
 * Largest scan kept on the backend: 2^25 voxels, 128 MiB as float32, the storage-buffer binding size every
 * WebGPU device allows (and well inside WebGL's textures). Larger scans are sliced in main memory.
 */
export const MAX_VOXELS_ON_BACKEND = 2 ** 25

export interface RunPlan {
  /** The tfjs backend the run is planned for ('webgpu', 'webgl', 'wasm', 'cpu'). */
  readonly backend: string
  /** Slices per model.predict call. */
  readonly batch: number
  /** Whether a short last batch is filled up to `batch` slices. */
  readonly fullBatches: boolean
  readonly maxBatchesPerChunk: number
  /** Whether the scan is kept on the backend (sliced and resampled there) or sliced in main memory. */
  readonly scanOnBackend: boolean
}

export interface PlanOptions {
  /** Slices per model.predict call at most (default 8). */
  readonly batchSize?: number
  /** Keep the scan on the backend (default: on WebGPU and WebGL, for scans up to MAX_VOXELS_ON_BACKEND voxels). */
  readonly scanOnBackend?: boolean
}

export function planRun(scan: Pick<Volume, 'dims' | 'spacing' | 'affine'>, backend: string, { batchSize = DEFAULT_BATCH, scanOnBackend }: PlanOptions = {}): RunPlan {
  const voxels = scan.dims[0] * scan.dims[1] * scan.dims[2]
  const keepsScan = scanOnBackend ?? (['webgpu', 'webgl'].includes(backend) && voxels <= MAX_VOXELS_ON_BACKEND)
  if (backend !== 'webgl') return { backend, batch: batchSize, fullBatches: false, maxBatchesPerChunk: MAX_BATCHES_PER_CHUNK, scanOnBackend: keepsScan }
  const depth = rasReorientation(scan.affine, scan.dims, scan.spacing).dims[2] // axial slices
  return { backend, batch: Math.ceil(depth / Math.ceil(depth / batchSize)), fullBatches: true, maxBatchesPerChunk: 1, scanOnBackend: keepsScan }
}

/** The slices `ks` of one chunk as the plan runs them: filled up to whole batches by repeating the last (its output is written twice, the same). */
export function runSlices(plan: RunPlan, ks: readonly number[]): readonly number[] {
  const missing = plan.fullBatches ? (plan.batch - (ks.length % plan.batch)) % plan.batch : 0
  return missing === 0 ? ks : [...ks, ...new Array<number>(missing).fill(ks[ks.length - 1])]
}
