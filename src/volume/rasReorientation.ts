/**
 * Brings voxel data into RAS voxel order (axis 0 towards Right, 1 towards Anterior, 2 towards Superior) by
 * permuting and flipping axes only: no interpolation, exactly invertible. The model is trained on axial
 * slices of RAS-ordered volumes, so every scan is sliced in this order whatever its own orientation
 * (for an oblique scan, the nearest axes).
 */
import type { Affine, Vec3 } from './affine'

export interface RasReorientation {
  /** sourceAxisOf[r]: the source voxel axis that becomes RAS axis r. */
  readonly sourceAxisOf: readonly [number, number, number]
  /** flipped[r]: the source axis runs the other way (towards L, P or I). */
  readonly flipped: readonly [boolean, boolean, boolean]
  readonly sourceDims: Vec3
  /** Dims and spacing in RAS order. */
  readonly dims: Vec3
  readonly spacing: Vec3
  /** Source index of RAS voxel (0, 0, 0), and the source index step of one RAS voxel along x, y, z. */
  readonly sourceStart: number
  readonly sourceStep: Vec3
}

export function rasReorientation(affine: Affine, dims: Vec3, spacing: Vec3): RasReorientation {
  const sourceAxisOf: number[] = [-1, -1, -1]
  const flipped = [false, false, false]
  const used = new Set<number>()
  // Greedy on the largest direction cosines first, so that an oblique grid still gets a permutation.
  const candidates: Array<{ world: number; axis: number; weight: number }> = []
  for (let axis = 0; axis < 3; axis++) {
    const norm = Math.hypot(affine[0][axis], affine[1][axis], affine[2][axis]) || 1
    for (let world = 0; world < 3; world++) candidates.push({ world, axis, weight: affine[world][axis] / norm })
  }
  candidates.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
  for (const c of candidates) {
    if (sourceAxisOf[c.world] !== -1 || used.has(c.axis)) continue
    sourceAxisOf[c.world] = c.axis
    flipped[c.world] = c.weight < 0
    used.add(c.axis)
  }
  const pick = (v: Vec3): Vec3 => [v[sourceAxisOf[0]], v[sourceAxisOf[1]], v[sourceAxisOf[2]]]
  const rasDims = pick(dims)
  return {
    sourceAxisOf: sourceAxisOf as unknown as [number, number, number],
    flipped: flipped as [boolean, boolean, boolean],
    sourceDims: dims,
    dims: rasDims,
    spacing: pick(spacing),
    ...sourceWalk(dims, rasDims, sourceAxisOf, flipped),
  }
}

function sourceWalk(sourceDims: Vec3, dims: Vec3, sourceAxisOf: readonly number[], flipped: readonly boolean[]): Pick<RasReorientation, 'sourceStart' | 'sourceStep'> {
  const sourceStrides = [1, sourceDims[0], sourceDims[0] * sourceDims[1]]
  const stride = sourceAxisOf.map((axis) => sourceStrides[axis])
  const start = [0, 1, 2].map((a) => (flipped[a] ? (dims[a] - 1) * stride[a] : 0))
  const step = [0, 1, 2].map((a) => (flipped[a] ? -stride[a] : stride[a]))
  return { sourceStart: start[0] + start[1] + start[2], sourceStep: [step[0], step[1], step[2]] }
}

/**
 * Calls `row` for each row of RAS axial slice k (x fastest): where it starts in the slice, where its first voxel
 * is in source order, and the source step from one voxel of the row to the next. No per-voxel table.
 */
export function forEachRowOfRasSlice(r: RasReorientation, k: number, row: (sliceStart: number, sourceStart: number, sourceStep: number, length: number) => void): void {
  const [nx, ny] = r.dims
  const [stepX, stepY, stepZ] = r.sourceStep
  for (let y = 0; y < ny; y++) row(y * nx, r.sourceStart + y * stepY + k * stepZ, stepX, nx)
}

/** forEachRowOfRasSlice over every slice, with row starts in the whole RAS grid. */
function forEachRasRow(r: RasReorientation, row: (rasStart: number, sourceStart: number, sourceStep: number, length: number) => void): void {
  const sliceSize = r.dims[0] * r.dims[1]
  for (let z = 0; z < r.dims[2]; z++) forEachRowOfRasSlice(r, z, (start, source, step, length) => row(z * sliceSize + start, source, step, length))
}

/** The source index of RAS voxel (x, y, z). */
export function sourceIndexOf(r: RasReorientation, x: number, y: number, z: number): number {
  return r.sourceStart + x * r.sourceStep[0] + y * r.sourceStep[1] + z * r.sourceStep[2]
}

/** Per-index values along source axes (e.g. head counts) -> the same along RAS axis `rasAxis`, indexed in RAS order. */
export function alongRasAxis(perSourceAxis: readonly [Uint32Array, Uint32Array, Uint32Array], r: RasReorientation, rasAxis: 0 | 1 | 2): Uint32Array {
  const values = perSourceAxis[r.sourceAxisOf[rasAxis]]
  return r.flipped[rasAxis] ? values.slice().reverse() : values.slice()
}

/** Source-ordered values -> RAS-ordered values. */
export function toRasOrder<T extends Float32Array | Uint8Array>(values: T, r: RasReorientation): T {
  const out = new (values.constructor as new (n: number) => T)(values.length)
  forEachRasRow(r, (ras, source, step, length) => {
    for (let x = 0; x < length; x++, source += step) out[ras + x] = values[source]
  })
  return out
}

