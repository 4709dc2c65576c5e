/**
 * `window.strokeSeg`: a small read-only surface for end-to-end tests and for anyone automating the app
 * (what is open, with its voxels). The UI itself never uses it.
 */
import type { Volume } from '../volume/volume'
import type { ScanSession } from './hooks/useScanSession'

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

export function exposeAutomation(session: ScanSession): () => void {
  window.strokeSeg = {
    scan: () => snapshot(session.current().scan),
    scanVoxels: () => {
      const scan = session.current().scan
      return scan ? Array.from(scan.data) : null
    },
    mask: () => snapshot(session.current().mask),
  }
  return () => {
    delete window.strokeSeg
  }
}
