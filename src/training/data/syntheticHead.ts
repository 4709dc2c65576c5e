/**
 * synthetic-t1: procedural heads on the 2 mm training grid (90x108x90): scalp, skull, CSF,
 * a brain with a wobbly surface, grey/white matter with texture, two lateral ventricles; and procedural
 * lesions from a few voxels to a lobe (unions of noisy ellipsoids).
 */
import type { Anatomy } from './anatomy'
import { gridIndex, smoothField } from './grid3d'
import type { Random } from './random'
import { TRAINING_GRID_AFFINE } from './mniGrid'
import type { Vec3 } from '../../volume/affine'

export const SYNTHETIC_DIMS: Vec3 = [90, 108, 90]

export function syntheticAnatomy(random: Random): Anatomy {
  const dims = SYNTHETIC_DIMS
  const centre = [dims[0] / 2, dims[1] / 2 + random.uniform(-2, 2), dims[2] / 2 + random.uniform(-2, 2)]
  const radii = [random.uniform(30, 35), random.uniform(38, 45), random.uniform(30, 36)] // brain, in 2 mm voxels
  const surface = smoothField(dims, 5, random).values
  const texture = smoothField(dims, 2, random).values
  const whiteShape = smoothField(dims, 3, random).values
  const ventricles = [-1, 1].map((side) => ({
    c: [centre[0] + side * random.uniform(4, 7), centre[1] + random.uniform(-3, 3), centre[2] + random.uniform(2, 6)],
    r: [random.uniform(2.5, 4.5), random.uniform(10, 15), random.uniform(3, 6)],
  }))
  const t1 = new Float32Array(dims[0] * dims[1] * dims[2])
  const brain = new Float32Array(t1.length)
  for (let z = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++) {
        const i = gridIndex(dims, x, y, z)
        const d = Math.hypot((x - centre[0]) / radii[0], (y - centre[1]) / radii[1], (z - centre[2]) / radii[2])
        const edge = 1 + 0.06 * surface[i] // wobbly brain surface
        if (d < edge) {
          brain[i] = 1
          const depth = (edge - d) * radii[0] // voxels below the surface
          const inVentricle = ventricles.some((v) => Math.hypot((x - v.c[0]) / v.r[0], (y - v.c[1]) / v.r[1], (z - v.c[2]) / v.r[2]) < 1)
          const white = depth > 2 + 1.5 * (1 + whiteShape[i]) && d < 0.92
          t1[i] = inVentricle ? 0.28 : white ? 1 + 0.04 * texture[i] : 0.62 + 0.05 * texture[i]
        } else if (d < edge + 0.06) t1[i] = 0.25 // CSF
        else if (d < edge + 0.16) t1[i] = 0.12 // skull (dark on T1)
        else if (d < edge + 0.22) t1[i] = 0.8 // scalp fat
      }
    }
  }
  return { dims, affine: TRAINING_GRID_AFFINE, t1, brain }
}

/** A lesion inside the brain: 1-4 noisy ellipsoids around a random brain voxel, radii 1-22 voxels of 2 mm. */
export function syntheticLesion(anatomy: Anatomy, random: Random): Float32Array {
  const { dims, brain } = anatomy
  const brainVoxels: number[] = []
  for (let i = 0; i < brain.length; i += 7) if (brain[i] >= 0.5) brainVoxels.push(i)
  const seed = random.pick(brainVoxels)
  const origin = [seed % dims[0], Math.floor(seed / dims[0]) % dims[1], Math.floor(seed / (dims[0] * dims[1]))]
  const size = Math.exp(random.uniform(Math.log(1), Math.log(14))) // log-uniform: small lesions as often as large
  const blobs = Array.from({ length: random.integer(1, 5) }, () => ({
    c: origin.map((o) => o + random.normal(0, size * 0.6)),
    r: [0, 1, 2].map(() => size * random.uniform(0.5, 1.6)),
  }))
  const roughness = smoothField(dims, 2, random).values
  const lesion = new Float32Array(brain.length)
  for (let z = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++) {
        const i = gridIndex(dims, x, y, z)
        const d = Math.min(...blobs.map((b) => Math.hypot((x - b.c[0]) / b.r[0], (y - b.c[1]) / b.r[1], (z - b.c[2]) / b.r[2])))
        if (d < 1.3) lesion[i] = d + 0.35 * roughness[i] < 1 ? 1 : 0
      }
    }
  }
  return lesion
}
