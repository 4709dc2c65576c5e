/**
 * A head on the 2 mm training grid: T1 (arbitrary units, white matter about 1, air 0) and its brain. Lesions
 * are drawn into it by renderLesion.
 */
import type { Affine, Vec3 } from '../../volume/affine'
import { gridIndex } from './grid3d'

export interface Anatomy {
  readonly dims: Vec3
  /** Voxel -> world (mm), RAS. */
  readonly affine: Affine
  readonly t1: Float32Array
  /** Brain (parenchyma) fraction per voxel, 0..1: lesions are confined to it. */
  readonly brain: Float32Array
}

/** 6-neighbour dilation of a binary mask, `times` times. */
export function dilate(mask: Uint8Array, dims: Vec3, times: number): Uint8Array {
  let current = mask
  const [nx, ny, nz] = dims
  for (let t = 0; t < times; t++) {
    const next = current.slice()
    for (let z = 0; z < nz; z++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++) {
          const i = gridIndex(dims, x, y, z)
          if (current[i]) continue
          if (
            (x > 0 && current[i - 1]) || (x < nx - 1 && current[i + 1]) ||
            (y > 0 && current[i - nx]) || (y < ny - 1 && current[i + nx]) ||
            (z > 0 && current[i - nx * ny]) || (z < nz - 1 && current[i + nx * ny])
          ) next[i] = 1
        }
      }
    }
    current = next
  }
  return current
}

