/**
 * A small synthetic scan for the segmentation worker's warm-up: run through segmentVolume once after a model
 * loads, it compiles on WebGPU most of the pipeline's own GPU programs (upload, statistics, slicing, resampling up and
 * down, output interpolation) before the user's first run, as the model's warm-up compiles the model's. Stored as
 * scans of its modality often are (MR unsigned 8-bit, CT signed 16-bit in HU), axial with x towards Left as DICOM
 * conversions give, with voxels larger and smaller than the model's in-plane spacing. Run for real, it also
 * proves the backend before a scan arrives. The programs of the opened scan's own shapes (all of them on WebGL,
 * which keys programs by exact shapes; the larger size classes on WebGPU) are compiled by compileRunPrograms.
 */
import type { Volume } from '../volume/volume'
import type { ModelCard } from './modelCard'

const [NX, NY, NZ] = [40, 36, 3]

export function warmUpScan(card: ModelCard): Volume {
  const ct = card.normalization.kind === 'ct-window'
  const data = ct ? new Int16Array(NX * NY * NZ) : new Uint8Array(NX * NY * NZ)
  const [air, tissue] = ct ? [-1000, 40] : [0, 120]
  for (let z = 0, i = 0; z < NZ; z++) {
    for (let y = 0; y < NY; y++) {
      for (let x = 0; x < NX; x++, i++) data[i] = Math.hypot(x - NX / 2, y - NY / 2) < NY / 3 ? tissue + ((x + y) % 7) : air
    }
  }
  const [sx, sy] = [1.25 * card.input.spacingMm, 0.75 * card.input.spacingMm] // resampled up along x, down along y
  return {
    name: 'warm-up',
    dims: [NX, NY, NZ],
    spacing: [sx, sy, 3],
    affine: [[-sx, 0, 0, 0], [0, sy, 0, 0], [0, 0, 3, 0], [0, 0, 0, 1]],
    data,
    datatype: ct ? 'int16' : 'uint8',
    scaling: null,
    modality: ct ? 'CT' : 'MR',
  }
}
