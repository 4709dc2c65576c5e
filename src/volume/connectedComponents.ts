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

/** Where lesions may lie: a lesion is kept only when at least `minShare` of its voxels are non-zero in `mask`. */
export interface LesionRegion {
  readonly mask: Uint8Array
  readonly minShare: number
}

/**
 * The segmentation's last step, in place: a mask of 0, 1 (lesion) and 2 (a voxel reaching the model card's
 * `seedThreshold`) becomes 0/1, keeping the lesions (components) that hold a 2 when `seeded` (hysteresis),
 * that are at least `minMl` (on a grid of `spacing` mm; the card's `minLesionMl`) and, with a `region`, that
 * lie mostly inside it (the brain). Labels the mask once; returns how many lesions went, and how many of those
 * for lying outside the region. Without seeds the mask holds no 2.
 */
export function keepLesions(mask: Uint8Array, dims: Vec3, spacing: Vec3, { seeded, minMl, region }: { seeded: boolean; minMl: number; region?: LesionRegion }): { dropped: number; outsideRegion: number } {
  const minVoxels = (minMl * 1000) / voxelVolumeMm3(spacing)
  if (!seeded && !(minVoxels > 1) && !region) return { dropped: 0, outsideRegion: 0 }
  const { labels, count, sizes } = connectedComponents(mask, dims)
  const kept = new Uint8Array(count + 1).fill(seeded ? 0 : 1)
  if (seeded) for (let i = 0; i < mask.length; i++) if (mask[i] === 2) kept[labels[i]] = 1
  kept[0] = 0
  for (let label = 1; label <= count; label++) if (sizes[label] < minVoxels) kept[label] = 0
  let outsideRegion = 0
  if (region) {
    const inside = new Uint32Array(count + 1)
    for (let i = 0; i < mask.length; i++) if (labels[i] && region.mask[i]) inside[labels[i]]++
    for (let label = 1; label <= count; label++) {
      if (kept[label] && inside[label] < region.minShare * sizes[label]) {
        kept[label] = 0
        outsideRegion++
      }
    }
  }
  for (let i = 0; i < mask.length; i++) mask[i] = kept[labels[i]]
  return { dropped: count - kept.reduce((sum, k) => sum + k, 0), outsideRegion }
}
