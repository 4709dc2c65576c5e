/**
 * `window.strokeSeg`: a small read-only surface for end-to-end tests and for anyone automating the app
 * (what is open, with its voxels). The UI itself never uses it.
 */
import { countNonZero, runLengths, type Volume } from '../volume/volume'
import type { ScanSession } from './hooks/useScanSession'
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
  /** Destroys the segmentation worker's WebGPU device, as a GPU crash would (tests of the fallback). */
  destroyGpuDevice(): Promise<boolean>
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

export function exposeAutomation(session: ScanSession, segmentation: SegmentationControls): () => void {
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
    workerTensors: () => segmentation.state.workerTensors,
    destroyGpuDevice: () => segmentation.destroyGpuDevice(),
  }
  return () => {
    delete window.strokeSeg
  }
}
