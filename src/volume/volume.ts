/**
 * The domain type every part of StrokeSeg exchanges: a 3-D scan or mask on a voxel grid.
 * Independent of niivue and tfjs; built by `io/` from NIfTI or DICOM, consumed by the viewer,
 * inference, export and training.
 */
import { applyAffine, invertAffine, type Affine, type Vec3 } from './affine'

export type VoxelArray = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array

/** Integer voxels of 1 or 2 bytes: few enough values to count, small enough to move as they are. */
export type NarrowIntegerArray = Uint8Array | Int8Array | Uint16Array | Int16Array

export function isNarrowInteger(values: ArrayLike<number>): values is NarrowIntegerArray {
  return values instanceof Uint8Array || values instanceof Int8Array || values instanceof Uint16Array || values instanceof Int16Array
}

/** The smallest value a narrow integer type holds (0, -128 or -32768). */
export function lowestValueOf(values: NarrowIntegerArray): number {
  return values instanceof Int8Array || values instanceof Int16Array ? -(2 ** (8 * values.BYTES_PER_ELEMENT - 1)) : 0
}

/** How `Volume.data` is stored. */
export type VoxelType = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32'

export type Modality = 'CT' | 'MR' | 'unknown'

/** Linear intensity scaling that was applied to the stored values: real = stored * slope + intercept. */
export interface IntensityScaling {
  readonly slope: number
  readonly intercept: number
}

export interface Volume {
  /** What the user would call it: usually the file name. */
  readonly name: string
  /** Voxel counts [nx, ny, nz]; `data` is in this native order, x fastest. */
  readonly dims: Vec3
  /** Voxel size in mm along i, j, k. */
  readonly spacing: Vec3
  /** Voxel index (i, j, k) -> world RAS+ mm, row-major 4x4. */
  readonly affine: Affine
  /** Real-world values (scaling already applied), length nx*ny*nz. */
  readonly data: VoxelArray
  readonly datatype: VoxelType
  /** The scaling the source stored and that has been applied to `data`, or null when there was none. */
  readonly scaling: IntensityScaling | null
  readonly modality: Modality
}

/**
 * The voxel of `volume` nearest to world position `mm` (RAS+), clamped to the grid: the one conversion from
 * a world position (the viewer's crosshair) to native voxel indices, through the volume's own affine.
 */
export function nearestVoxel(volume: Pick<Volume, 'affine' | 'dims'>, mm: Vec3): Vec3 {
  const index = applyAffine(invertAffine(volume.affine), mm)
  const clamp = (v: number, axis: number) => Math.min(volume.dims[axis] - 1, Math.max(0, Math.round(v)))
  return [clamp(index[0], 0), clamp(index[1], 1), clamp(index[2], 2)]
}

/** The value at native voxel (i, j, k). */
export function valueAt(volume: Pick<Volume, 'data' | 'dims'>, [i, j, k]: Vec3): number {
  const [nx, ny] = volume.dims
  return volume.data[i + nx * (j + ny * k)]
}

export function voxelCount(dims: Vec3): number {
  return dims[0] * dims[1] * dims[2]
}

export function voxelVolumeMm3(spacing: Vec3): number {
  return spacing[0] * spacing[1] * spacing[2]
}

export function voxelTypeOf(data: VoxelArray): VoxelType {
  if (data instanceof Uint8Array) return 'uint8'
  if (data instanceof Int8Array) return 'int8'
  if (data instanceof Int16Array) return 'int16'
  if (data instanceof Uint16Array) return 'uint16'
  if (data instanceof Int32Array) return 'int32'
  if (data instanceof Uint32Array) return 'uint32'
  return 'float32'
}

/** Smallest and largest finite value. */
export function intensityRange(data: VoxelArray): { min: number; max: number } {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < data.length; i++) {
    const v = data[i]
    if (v < min) min = v
    if (v > max) max = v
  }
  return { min, max }
}

/**
 * CT when the values look like Hounsfield units (air near -1000 and bone above +300), MR otherwise.
 * Used only when the file itself does not say (NIfTI carries no modality; DICOM does).
 */
export function guessModality(data: VoxelArray): Modality {
  const { min, max } = intensityRange(data)
  if (!Number.isFinite(min)) return 'unknown'
  return min <= -700 && max >= 300 ? 'CT' : 'MR'
}

/**
 * Why `b` does not lie on the voxel grid of `a`, or null when it does (same dims, and every grid corner
 * within `toleranceMm` in world space).
 */
export function gridMismatch(a: Volume, b: Volume, toleranceMm = 0.01): string | null {
  if (a.dims.some((n, i) => n !== b.dims[i])) {
    return `its grid is ${formatDims(b.dims)} voxels, the scan's is ${formatDims(a.dims)}`
  }
  let worst = 0
  for (const corner of gridCorners(a.dims)) {
    const pa = applyAffine(a.affine, corner)
    const pb = applyAffine(b.affine, corner)
    worst = Math.max(worst, Math.hypot(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]))
  }
  if (!(worst <= toleranceMm)) {
    return `same voxel counts, but its voxels lie up to ${worst.toFixed(2)} mm away from the scan's (different position or orientation)`
  }
  return null
}

function gridCorners(dims: Vec3): Vec3[] {
  const corners: Vec3[] = []
  for (const i of [0, dims[0] - 1]) for (const j of [0, dims[1] - 1]) for (const k of [0, dims[2] - 1]) corners.push([i, j, k])
  return corners
}

export function formatDims(dims: Vec3): string {
  return dims.join('x')
}

export function formatSpacing(spacing: Vec3): string {
  return spacing.map((s) => +s.toFixed(3)).join(' x ') + ' mm'
}

/** A binary lesion mask on the grid of `source`: 1 where the source is > 0, else 0. */
export function binaryMaskFrom(source: Volume): Volume {
  const mask = new Uint8Array(source.data.length)
  for (let i = 0; i < mask.length; i++) mask[i] = source.data[i] > 0 ? 1 : 0
  return { ...source, data: mask, datatype: 'uint8', scaling: null, modality: 'unknown' }
}

/** An all-zero lesion mask on the grid of `scan`, to draw on. */
export function emptyMaskOn(scan: Volume, name: string): Volume {
  return { ...scan, name, data: new Uint8Array(scan.data.length), datatype: 'uint8', scaling: null, modality: 'unknown' }
}

/** Run-length code [value, count, value, count, ...]: a compact, exact fingerprint of a mask. */
export function runLengths(data: ArrayLike<number>): number[] {
  const runs: number[] = []
  for (let i = 0; i < data.length; ) {
    let end = i + 1
    while (end < data.length && data[end] === data[i]) end++
    runs.push(data[i], end - i)
    i = end
  }
  return runs
}

/** Number of non-zero voxels. */
export function countNonZero(data: VoxelArray): number {
  let n = 0
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) n++
  return n
}
