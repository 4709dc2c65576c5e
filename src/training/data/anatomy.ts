/**
 * A head on the 2 mm training grid, in both contrasts the datasets render: T1 (arbitrary units, white matter
 * about 1, air 0) and CT (Hounsfield units). Lesions are drawn into it by renderLesion.
 */
import type { Affine, Vec3 } from '../../volume/affine'
import { gridIndex } from './grid3d'

export interface Anatomy {
  readonly dims: Vec3
  /** Voxel -> world (mm), RAS. */
  readonly affine: Affine
  readonly t1: Float32Array
  readonly hu: Float32Array
  /** Brain (parenchyma) fraction per voxel, 0..1: lesions are confined to it. */
  readonly brain: Float32Array
}

/** CT numbers of brain tissue from T1 intensity (t = T1 / white matter): CSF 8, grey matter 38, white matter 28 HU. */
export function brainHuFromT1(t: number): number {
  const knots: Array<[number, number]> = [[0, 5], [0.3, 8], [0.6, 38], [0.8, 33], [1.0, 28], [2, 28]]
  if (t <= knots[0][0]) return knots[0][1]
  for (let i = 1; i < knots.length; i++) {
    const [t1, h1] = knots[i]
    const [t0, h0] = knots[i - 1]
    if (t <= t1) return h0 + ((t - t0) / (t1 - t0)) * (h1 - h0)
  }
  return knots[knots.length - 1][1]
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

/**
 * CT of a head from its brain and T1: brain tissue mapped by brainHuFromT1, then shells around the brain
 * (voxels): CSF 2, bone 3 (about 1000 HU), scalp 2, air beyond.
 */
export function ctFromBrain(t1: Float32Array, brain: Float32Array, dims: Vec3, boneHu: number): Float32Array {
  const inside = Uint8Array.from(brain, (b) => (b >= 0.5 ? 1 : 0))
  const csf = dilate(inside, dims, 2)
  const bone = dilate(csf, dims, 3)
  const scalp = dilate(bone, dims, 2)
  return Float32Array.from(t1, (t, i) => {
    if (inside[i]) return brain[i] * brainHuFromT1(t) + (1 - brain[i]) * 8
    if (csf[i]) return 8
    if (bone[i]) return boneHu
    if (scalp[i]) return 30
    return -1000
  })
}
