/**
 * What a clinician reads off a lesion mask: total volume in mL from the real voxel spacing, and each separate
 * lesion (3-D 26-connected component), largest first, with what a reader measures: its volume, centre, largest
 * diameter in mm, the slices it spans, the hemisphere it lies in and the mean image value over it (HU on CT).
 */
import { applyAffine, type Affine, type Vec3 } from './affine'
import { connectedComponents } from './connectedComponents'
import { voxelVolumeMm3, type Volume } from './volume'

/** Which side of the head's midline a lesion lies on; 'both' when neither side holds 80 % of it. */
export type Hemisphere = 'left' | 'right' | 'both'

export interface Lesion {
  readonly voxels: number
  readonly volumeMl: number
  /** Centre of mass in voxel indices (i, j, k) of the mask's grid. */
  readonly centerVoxel: Vec3
  /** The same point in world RAS+ mm. */
  readonly centerMm: Vec3
  /** The lesion's own voxel nearest its centre (the centre of a curved lesion can lie outside it): where to look. */
  readonly focusVoxel: Vec3
  /** The largest distance between two of its voxel centres, in mm (0 for a single voxel; within 1 %). */
  readonly diameterMm: number
  /** The first and last slice it touches along the grid's third axis (k, as the crosshair readout counts). */
  readonly slices: readonly [number, number]
  readonly hemisphere: Hemisphere
  /** Mean value of the scan over the lesion, in the scan's units (HU on CT). */
  readonly meanValue: number
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

/** A side holds a lesion when at least this share of its voxels lies there. */
const ONE_SIDE = 0.8

/** The lesions of `mask`, measured on `scan` (the same grid). */
export function lesionReport(mask: Volume, scan: Volume): LesionReport {
  const { labels, count, sizes } = connectedComponents(mask.data, mask.dims)
  const members = voxelsByLabel(labels, sizes)
  const world = worldOf(mask.affine, mask.dims)
  const midline = headMidlineMm(scan)
  const lesions: Lesion[] = []
  for (let label = 1; label <= count; label++) {
    const voxels = members.subarray(members.offsets[label], members.offsets[label + 1])
    lesions.push(measureLesion(voxels, label, labels, mask, scan, world, midline))
  }
  lesions.sort((a, b) => b.voxels - a.voxels)
  const voxels = lesions.reduce((a, l) => a + l.voxels, 0)
  return { voxels, volumeMl: lesionVolumeMl(voxels, mask.spacing), lesions }
}

/** Voxel indices grouped by component (counting sort): label l's are subarray(offsets[l], offsets[l + 1]). */
function voxelsByLabel(labels: Int32Array, sizes: readonly number[]): Int32Array & { offsets: Int32Array } {
  const offsets = new Int32Array(sizes.length + 1)
  for (let l = 1; l < sizes.length; l++) offsets[l + 1] = offsets[l] + sizes[l]
  const next = offsets.slice()
  const sorted = new Int32Array(offsets[sizes.length])
  for (let index = 0; index < labels.length; index++) if (labels[index] > 0) sorted[next[labels[index]]++] = index
  return Object.assign(sorted, { offsets })
}

type WorldOf = (index: number) => Vec3

function worldOf(affine: Affine, [nx, ny]: Vec3): WorldOf {
  return (index) => applyAffine(affine, [index % nx, Math.floor(index / nx) % ny, Math.floor(index / (nx * ny))])
}

function measureLesion(voxels: Int32Array, label: number, labels: Int32Array, mask: Volume, scan: Volume, world: WorldOf, midline: number): Lesion {
  const [nx, ny] = mask.dims
  const [sx, sy, sz] = mask.spacing
  const [ax, ay, az, a0] = mask.affine[0] // world x (towards the subject's right) of voxel (i, j, k)
  let [si, sj, sk, right, sum] = [0, 0, 0, 0, 0]
  let [kMin, kMax] = [Infinity, -Infinity]
  for (const index of voxels) {
    const [i, j, k] = [index % nx, Math.floor(index / nx) % ny, Math.floor(index / (nx * ny))]
    si += i
    sj += j
    sk += k
    kMin = Math.min(kMin, k)
    kMax = Math.max(kMax, k)
    if (ax * i + ay * j + az * k + a0 > midline) right++
    sum += scan.data[index]
  }
  const n = voxels.length
  const centerVoxel: Vec3 = [si / n, sj / n, sk / n]
  let [focus, focusDistance] = [voxels[0], Infinity]
  for (const index of voxels) {
    const d = (sx * (index % nx - centerVoxel[0])) ** 2 + (sy * ((Math.floor(index / nx) % ny) - centerVoxel[1])) ** 2 + (sz * (Math.floor(index / (nx * ny)) - centerVoxel[2])) ** 2
    if (d < focusDistance) [focus, focusDistance] = [index, d]
  }
  const hemisphere: Hemisphere = right >= ONE_SIDE * n ? 'right' : n - right >= ONE_SIDE * n ? 'left' : 'both'
  return {
    voxels: n,
    volumeMl: lesionVolumeMl(n, mask.spacing),
    centerVoxel,
    centerMm: applyAffine(mask.affine, centerVoxel),
    focusVoxel: [focus % nx, Math.floor(focus / nx) % ny, Math.floor(focus / (nx * ny))],
    diameterMm: largestDiameterMm(surfaceVoxels(voxels, label, labels, mask.dims), world),
    slices: [kMin, kMax],
    hemisphere,
    meanValue: sum / n,
  }
}

/** The lesion's voxels with a face on something else (the extremes along any direction are among them). */
function surfaceVoxels(voxels: Int32Array, label: number, labels: Int32Array, [nx, ny, nz]: Vec3): number[] {
  const slice = nx * ny
  return Array.from(voxels).filter((index) => {
    const [x, y, z] = [index % nx, Math.floor(index / nx) % ny, Math.floor(index / slice)]
    return (
      x === 0 || x === nx - 1 || y === 0 || y === ny - 1 || z === 0 || z === nz - 1 ||
      labels[index - 1] !== label || labels[index + 1] !== label || labels[index - nx] !== label ||
      labels[index + nx] !== label || labels[index - slice] !== label || labels[index + slice] !== label
    )
  })
}

/**
 * Directions spread evenly over a half sphere (a Fibonacci lattice): the voxels at both ends along each are the
 * candidates for the lesion's two farthest voxels. With 64 the farthest pair found is within 1 % of the true one.
 */
const DIAMETER_DIRECTIONS: readonly Vec3[] = Array.from({ length: 64 }, (_, i) => {
  const z = (i + 0.5) / 64
  const r = Math.sqrt(1 - z * z)
  const angle = i * Math.PI * (3 - Math.sqrt(5))
  return [r * Math.cos(angle), r * Math.sin(angle), z]
})

function largestDiameterMm(surface: readonly number[], world: WorldOf): number {
  const points = surface.map(world)
  const candidates = new Set<Vec3>()
  for (const [dx, dy, dz] of DIAMETER_DIRECTIONS) {
    let [low, high] = [points[0], points[0]]
    let [lowest, highest] = [Infinity, -Infinity]
    for (const p of points) {
      const along = p[0] * dx + p[1] * dy + p[2] * dz
      if (along < lowest) [lowest, low] = [along, p]
      if (along > highest) [highest, high] = [along, p]
    }
    candidates.add(low).add(high)
  }
  const ends = [...candidates]
  let largest = 0
  for (let a = 0; a < ends.length; a++) {
    for (let b = a + 1; b < ends.length; b++) largest = Math.max(largest, Math.hypot(ends[a][0] - ends[b][0], ends[a][1] - ends[b][1], ends[a][2] - ends[b][2]))
  }
  return largest
}

const midlines = new WeakMap<Volume, number>()

/**
 * The head's midline: the mean world x (RAS: towards the subject's right) of its voxels, those above air
 * (-200 HU on CT; elsewhere a tenth of the 99th percentile, sampled). Worked out once per scan.
 */
export function headMidlineMm(scan: Volume): number {
  const known = midlines.get(scan)
  if (known !== undefined) return known
  const { data } = scan
  const stride = Math.max(1, Math.floor(data.length / 200_000))
  const sample = Float32Array.from({ length: Math.floor(data.length / stride) }, (_, i) => data[i * stride]).sort()
  const air = scan.modality === 'CT' ? -200 : 0.1 * sample[Math.floor(0.99 * (sample.length - 1))]
  const [nx, ny] = scan.dims
  const [a, b, c, d] = scan.affine[0]
  let [sum, n] = [0, 0]
  for (let index = 0; index < data.length; index++) {
    if (!(data[index] > air)) continue
    sum += a * (index % nx) + b * (Math.floor(index / nx) % ny) + c * Math.floor(index / (nx * ny)) + d
    n++
  }
  const midline = n > 0 ? sum / n : applyAffine(scan.affine, scan.dims.map((size) => (size - 1) / 2) as unknown as Vec3)[0]
  midlines.set(scan, midline)
  return midline
}
