/**
 * Real lesion shapes for the generator: the MNI lesion masks of `../shared/data/lesion_masks`, each moved to
 * grid A (1 mm; nearest voxel through world coordinates: the grids differ by whole millimetres) and kept as
 * its bounding box. Each mask belongs to one role, fixed by a hash of its file name, so that the masks that
 * validate a model or benchmark it are never used to train it.
 */
import { basename } from 'node:path'
import { applyAffine, invertAffine, multiplyAffines, type Vec3 } from '../../volume/affine'
import { GRID_A_DIMS, GRID_A_AFFINE, listMaskFiles } from '../data/mniGrid'
import { readNiftiFile } from '../io/niftiFiles'

export type MaskRole = 'train' | 'validation' | 'benchmark'

/** 10 % of the masks validate, 10 % benchmark, 80 % train (by an FNV-1a hash of the file name). */
export function maskRole(file: string): MaskRole {
  let h = 2166136261 >>> 0
  const name = basename(file)
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0
  const bucket = h % 10
  return bucket === 0 ? 'benchmark' : bucket === 1 ? 'validation' : 'train'
}

/** Masks above this (mL) are the MANIFEST's outliers that spill out of the brain. */
export const MAX_LESION_ML = 400

export interface LesionShape {
  readonly file: string
  /** Grid-A index of the box's first voxel. */
  readonly origin: Vec3
  readonly size: Vec3
  /** 0/1, x fastest, size[0] * size[1] * size[2]. */
  readonly voxels: Uint8Array
  /** Lesion voxels (1 mm^3 each). */
  readonly count: number
}

/** The mask files of `dir` with a role (all roles when `roles` is omitted), sorted. */
export function lesionFiles(dir: string, roles?: readonly MaskRole[]): string[] {
  return listMaskFiles(dir).filter((f) => !roles || roles.includes(maskRole(f)))
}

/** A mask on grid A, cropped to its box; null when empty there or above MAX_LESION_ML. */
export function loadLesionShape(file: string): LesionShape | null {
  const volume = readNiftiFile(file)
  const toGridA = multiplyAffines(invertAffine(GRID_A_AFFINE), volume.affine)
  const [sx, sy] = volume.dims
  const indices: number[] = []
  const [lo, hi] = [[Infinity, Infinity, Infinity], [-Infinity, -Infinity, -Infinity]]
  for (let i = 0; i < volume.data.length; i++) {
    if (!(volume.data[i] > 0)) continue
    const p = applyAffine(toGridA, [i % sx, Math.floor(i / sx) % sy, Math.floor(i / (sx * sy))]).map(Math.round)
    if (p.some((v, a) => v < 0 || v >= GRID_A_DIMS[a])) continue
    indices.push(p[0], p[1], p[2])
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a], p[a])
      hi[a] = Math.max(hi[a], p[a])
    }
  }
  const count = indices.length / 3
  if (count === 0 || count > MAX_LESION_ML * 1000) return null
  const size: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1]
  const voxels = new Uint8Array(size[0] * size[1] * size[2])
  for (let n = 0; n < indices.length; n += 3) {
    voxels[indices[n] - lo[0] + size[0] * (indices[n + 1] - lo[1] + size[1] * (indices[n + 2] - lo[2]))] = 1
  }
  return { file, origin: [lo[0], lo[1], lo[2]], size, voxels, count: voxels.reduce((a, b) => a + b, 0) }
}

export function loadLesionShapes(files: readonly string[], log?: (line: string) => void): LesionShape[] {
  const shapes: LesionShape[] = []
  files.forEach((f, i) => {
    const shape = loadLesionShape(f)
    if (shape) shapes.push(shape)
    if (log && (i + 1) % 100 === 0) log(`lesion masks: ${i + 1}/${files.length} read`)
  })
  if (shapes.length === 0) throw new Error(`no usable lesion mask (non-empty, under ${MAX_LESION_ML} mL) among ${files.length} files`)
  return shapes
}

/**
 * Trilinear interpolation at a fractional grid-A position of a field on the shape's box (0 outside it): by
 * default its voxels, which gives the lesion fraction there.
 */
export function lesionFractionAt(shape: LesionShape, x: number, y: number, z: number, field: ArrayLike<number> = shape.voxels): number {
  const [u, v, w] = [x - shape.origin[0], y - shape.origin[1], z - shape.origin[2]]
  const [nx, ny, nz] = shape.size
  if (u <= -1 || v <= -1 || w <= -1 || u >= nx || v >= ny || w >= nz) return 0
  const [u0, v0, w0] = [Math.floor(u), Math.floor(v), Math.floor(w)]
  const [fu, fv, fw] = [u - u0, v - v0, w - w0]
  let sum = 0
  for (let d = 0; d < 8; d++) {
    const [a, b, c] = [u0 + (d & 1), v0 + ((d >> 1) & 1), w0 + (d >> 2)]
    if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue
    const value = field[a + nx * (b + ny * c)]
    if (value === 0) continue
    sum += value * (d & 1 ? fu : 1 - fu) * ((d >> 1) & 1 ? fv : 1 - fv) * (d >> 2 ? fw : 1 - fw)
  }
  return sum
}

/** The centre of mass of a shape, in grid-A voxels. */
export function lesionCentre(shape: LesionShape): Vec3 {
  const [nx, ny] = shape.size
  const c = [0, 0, 0]
  shape.voxels.forEach((v, i) => {
    if (!v) return
    c[0] += i % nx
    c[1] += Math.floor(i / nx) % ny
    c[2] += Math.floor(i / (nx * ny))
  })
  return [shape.origin[0] + c[0] / shape.count, shape.origin[1] + c[1] / shape.count, shape.origin[2] + c[2] / shape.count]
}
