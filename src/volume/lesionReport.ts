/**
 * What a clinician reads off a lesion mask: total volume in mL from the real voxel spacing, and each
 * separate lesion (3-D 26-connected component) with its volume and centre, largest first.
 */
import { applyAffine, type Vec3 } from './affine'
import { connectedComponents } from './connectedComponents'
import { voxelVolumeMm3, type Volume } from './volume'

export interface Lesion {
  readonly voxels: number
  readonly volumeMl: number
  /** Centre of mass in voxel indices (i, j, k) of the mask's grid. */
  readonly centerVoxel: Vec3
  /** The same point in world RAS+ mm. */
  readonly centerMm: Vec3
  /** The lesion's own voxel nearest its centre (the centre of a curved lesion can lie outside it): where to look. */
  readonly focusVoxel: Vec3
}

export interface LesionReport {
  readonly voxels: number
  readonly volumeMl: number
  /** Largest first. */
  readonly lesions: readonly Lesion[]
}

export function lesionVolumeMl(voxels: number, spacing: Vec3): number {
  return (voxels * voxelVolumeMm3(spacing)) / 1000
}

export function lesionReport(mask: Volume): LesionReport {
  const [nx, ny] = mask.dims
  const { labels, count, sizes } = connectedComponents(mask.data, mask.dims)
  const sums = new Float64Array(3 * (count + 1)) // per component: Σi, Σj, Σk
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index]
    if (label === 0) continue
    sums[3 * label] += index % nx
    sums[3 * label + 1] += Math.floor(index / nx) % ny
    sums[3 * label + 2] += Math.floor(index / (nx * ny))
  }
  const centers = Array.from({ length: count + 1 }, (_, label): Vec3 => {
    const n = Math.max(1, sizes[label])
    return [sums[3 * label] / n, sums[3 * label + 1] / n, sums[3 * label + 2] / n]
  })
  const focus = new Float64Array(count + 1).fill(-1) // per component: the index of its voxel nearest the centre
  const focusDistance = new Float64Array(count + 1).fill(Infinity)
  const [sx, sy, sz] = mask.spacing
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index]
    if (label === 0) continue
    const [ci, cj, ck] = centers[label]
    const d = (sx * (index % nx) - sx * ci) ** 2 + (sy * (Math.floor(index / nx) % ny) - sy * cj) ** 2 + (sz * Math.floor(index / (nx * ny)) - sz * ck) ** 2
    if (d < focusDistance[label]) {
      focusDistance[label] = d
      focus[label] = index
    }
  }
  const lesions: Lesion[] = []
  for (let label = 1; label <= count; label++) {
    const n = sizes[label]
    const centerVoxel = centers[label]
    const f = focus[label]
    const focusVoxel: Vec3 = [f % nx, Math.floor(f / nx) % ny, Math.floor(f / (nx * ny))]
    lesions.push({ voxels: n, volumeMl: lesionVolumeMl(n, mask.spacing), centerVoxel, centerMm: applyAffine(mask.affine, centerVoxel), focusVoxel })
  }
  lesions.sort((a, b) => b.voxels - a.voxels)
  const voxels = lesions.reduce((a, l) => a + l.voxels, 0)
  return { voxels, volumeMl: lesionVolumeMl(voxels, mask.spacing), lesions }
}
