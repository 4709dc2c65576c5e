/**
 * The grid our real MNI data shares: grid A of the lesion masks' MANIFEST (181x217x181, 1 mm, x = i - 90,
 * y = j - 125, z = k - 71). Heads and lesion masks are brought onto it through world coordinates (nearest voxel;
 * the grids differ by whole millimetres).
 */
import { applyAffine, invertAffine, type Affine, type Vec3 } from '../../volume/affine'
import type { Volume } from '../../volume/volume'
import { listFilesRecursively, NIFTI_FILE } from '../io/niftiFiles'
import { gridIndex } from './grid3d'

export const GRID_A_DIMS: Vec3 = [181, 217, 181]
export const GRID_A_AFFINE: Affine = [[1, 0, 0, -90], [0, 1, 0, -125], [0, 0, 1, -71], [0, 0, 0, 1]]
/** Grid-A index = world (mm) + GRID_A_ORIGIN_INDEX. */
export const GRID_A_ORIGIN_INDEX: Vec3 = [-GRID_A_AFFINE[0][3], -GRID_A_AFFINE[1][3], -GRID_A_AFFINE[2][3]]
/** The 2 mm grid: voxel (i, j, k) averages grid-A voxels 2i..2i+1 (etc.), centred at 2i + 0.5. */
export const TRAINING_GRID_AFFINE: Affine = [[2, 0, 0, -89.5], [0, 2, 0, -124.5], [0, 0, 2, -70.5], [0, 0, 0, 1]]

/** Any volume in MNI world space, sampled on grid A by nearest voxel (0 outside). */
export function onGridA(volume: Volume): Float32Array {
  const toSource = invertAffine(volume.affine)
  const out = new Float32Array(GRID_A_DIMS[0] * GRID_A_DIMS[1] * GRID_A_DIMS[2])
  const [sx, sy, sz] = volume.dims
  for (let k = 0; k < GRID_A_DIMS[2]; k++) {
    for (let j = 0; j < GRID_A_DIMS[1]; j++) {
      for (let i = 0; i < GRID_A_DIMS[0]; i++) {
        const [u, v, w] = applyAffine(toSource, applyAffine(GRID_A_AFFINE, [i, j, k])).map(Math.round)
        if (u < 0 || v < 0 || w < 0 || u >= sx || v >= sy || w >= sz) continue
        out[gridIndex(GRID_A_DIMS, i, j, k)] = volume.data[u + sx * (v + sy * w)]
      }
    }
  }
  return out
}

/** The .nii / .nii.gz files of a masks folder and its subfolders, sorted (so a seed picks the same ones). */
export function listMaskFiles(dir: string): string[] {
  return listFilesRecursively(dir).filter((f) => NIFTI_FILE.test(f))
}
