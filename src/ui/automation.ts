/**
 * `window.strokeSeg`: a small read-only surface for the end-to-end tests and for development (what is open, with
 * its voxels), installed once in development and test builds (`vite build --mode test`), never in production
 * builds. The UI itself never uses it.
 */
import { countNonZero, runLengths, type Volume } from '../volume/volume'
import type { ScanSession } from './session/sessionActions'
import type { SegmentationControls } from './hooks/useSegmentation'

export interface VolumeSnapshot {
  readonly name: string
  readonly dims: readonly number[]
  readonly spacing: readonly number[]
  readonly affine: readonly (readonly number[])[]
  readonly modality: string
  readonly datatype: string
}

export interface StrokeSegAutomation {
  scan(): VolumeSnapshot | null
  /** Voxel values of the open scan, native order (x fastest). */
  scanVoxels(): number[] | null
  mask(): VolumeSnapshot | null
  /** Voxel values of the shown mask, native order. */
  maskVoxels(): number[] | null
  /** The shown mask's voxels as runs [value, count, ...] (runLengths): exact, and far smaller to pass around. */
  maskRuns(): number[] | null
  /** Lesion (non-zero) voxels of the shown mask: cheaper to poll than maskVoxels. */
  maskLesionVoxels(): number | null
  /** Tensors alive in the segmentation worker after its last run (steady across runs), or null before one. */
  workerTensors(): number | null
}

declare global {
  interface Window {
    strokeSeg?: StrokeSegAutomation
  }
}

function snapshot(volume: Volume | null): VolumeSnapshot | null {
  if (!volume) return null
  const { name, dims, spacing, affine, modality, datatype } = volume
  return { name, dims, spacing, affine, modality, datatype }
}

/** Installs window.strokeSeg over what `openNow` returns at each call; returns its removal. */
export function exposeAutomation(openNow: () => { session: ScanSession; segmentation: SegmentationControls }): () => void {
  const session = { current: () => openNow().session.current() }
  window.strokeSeg = {
    scan: () => snapshot(session.current().scan),
    scanVoxels: () => {
      const scan = session.current().scan
      return scan ? Array.from(scan.data) : null
    },
    mask: () => snapshot(session.current().mask),
    maskVoxels: () => {
      const mask = session.current().mask
      return mask ? Array.from(mask.data) : null
    },
    maskRuns: () => {
      const mask = session.current().mask
      return mask ? runLengths(mask.data) : null
    },
    maskLesionVoxels: () => {
      const mask = session.current().mask
      return mask ? countNonZero(mask.data) : null
    },
    workerTensors: () => openNow().segmentation.state.workerTensors,
  }
  return () => {
    delete window.strokeSeg
  }
}
