/** 3-D connected components (26-connectivity) of a binary mask, for lesion counts and lesion-wise scores. */
import type { Vec3 } from './affine'
import { voxelVolumeMm3 } from './volume'

export interface Components {
  /** 0 for background, 1..count for each component. */
  readonly labels: Int32Array
  readonly count: number
  /** Voxels per component; sizes[0] is unused. */
  readonly sizes: readonly number[]
}

export function connectedComponents(mask: ArrayLike<number>, dims: Vec3): Components {
  const [nx, ny, nz] = dims
  const labels = new Int32Array(nx * ny * nz)
  const sizes = [0]
  const stack: number[] = []
  for (let start = 0; start < labels.length; start++) {
    if (!mask[start] || labels[start]) continue
    const label = sizes.length
    let size = 0
    labels[start] = label
    stack.push(start)
    while (stack.length > 0) {
      const i = stack.pop()!
      size++
      const x = i % nx
      const y = Math.floor(i / nx) % ny
      const z = Math.floor(i / (nx * ny))
      for (let dz = -1; dz <= 1; dz++) {
        const zz = z + dz
        if (zz < 0 || zz >= nz) continue
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy
          if (yy < 0 || yy >= ny) continue
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx
            if (xx < 0 || xx >= nx) continue
            const j = xx + nx * (yy + ny * zz)
            if (mask[j] && !labels[j]) {
              labels[j] = label
              stack.push(j)
            }
          }
        }
      }
    }
    sizes.push(size)
  }
  return { labels, count: sizes.length - 1, sizes }
}

/**
 * Sets to 0, in place, the components of `mask` (on a grid of `spacing` mm) smaller than `minMl`; returns how many
 * went. The segmentation's last step when the model card asks for it (`minLesionMl`).
 */
export function dropLesionsSmallerThan(mask: Uint8Array, dims: Vec3, spacing: Vec3, minMl: number): number {
  const minVoxels = (minMl * 1000) / voxelVolumeMm3(spacing)
  if (!(minVoxels > 1)) return 0
  const { labels, sizes } = connectedComponents(mask, dims)
  for (let i = 0; i < mask.length; i++) if (labels[i] > 0 && sizes[labels[i]] < minVoxels) mask[i] = 0
  return sizes.filter((size, label) => label > 0 && size < minVoxels).length
}

/**
 * Hysteresis, in place: a mask of 0, 1 (lesion) and 2 (lesion reaching the seed threshold) becomes 0/1, keeping
 * only the components that hold a 2. Returns how many went. The segmentation's step when the card has a
 * `seedThreshold`.
 */
export function keepSeededLesions(mask: Uint8Array, dims: Vec3): number {
  const { labels, count } = connectedComponents(mask, dims)
  const seeded = new Uint8Array(count + 1)
  for (let i = 0; i < mask.length; i++) if (mask[i] === 2) seeded[labels[i]] = 1
  for (let i = 0; i < mask.length; i++) mask[i] = seeded[labels[i]]
  return count - seeded.reduce((a, b) => a + b, 0)
}
