import { describe, expect, it } from 'vitest'
import { headMidlineMm, lesionReport } from './lesionReport'
import type { Vec3 } from './affine'
import type { Volume } from './volume'

function volumeOf(dims: Vec3, spacing: Vec3, data: Uint8Array | Float32Array, modality: Volume['modality'] = 'unknown'): Volume {
  const affine = [[spacing[0], 0, 0, 10], [0, spacing[1], 0, 20], [0, 0, spacing[2], 30], [0, 0, 0, 1]] as const
  return { name: 'v', dims, spacing, affine, data, datatype: data instanceof Uint8Array ? 'uint8' : 'float32', scaling: null, modality }
}

function maskVolume(dims: Vec3, spacing: Vec3, on: ReadonlyArray<Vec3>): Volume {
  const data = new Uint8Array(dims[0] * dims[1] * dims[2])
  for (const [i, j, k] of on) data[i + dims[0] * (j + dims[1] * k)] = 1
  return volumeOf(dims, spacing, data)
}

/** A scan on the mask's grid whose every voxel is head, valued by `value(i, j, k)`. */
function scanOn(mask: Volume, value: (i: number, j: number, k: number) => number = () => 100): Volume {
  const [nx, ny] = mask.dims
  const data = Float32Array.from(mask.data, (_, index) => value(index % nx, Math.floor(index / nx) % ny, Math.floor(index / (nx * ny))))
  return volumeOf(mask.dims, mask.spacing, data, 'MR')
}

describe('lesionReport', () => {
  it('gives mL from the voxel spacing and each 26-connected lesion, largest first, with its centre', () => {
    // Lesion A: 3 voxels in a row; lesion B: 1 voxel, not touching A (diagonal neighbours would join them).
    const mask = maskVolume([8, 8, 8], [2, 1, 3], [[1, 1, 1], [2, 1, 1], [3, 1, 1], [6, 6, 6]])
    const report = lesionReport(mask, scanOn(mask))
    expect(report.voxels).toBe(4)
    expect(report.volumeMl).toBeCloseTo((4 * 6) / 1000, 10) // 2 x 1 x 3 mm = 6 mm³ per voxel
    expect(report.lesions.map((l) => l.voxels)).toEqual([3, 1])
    expect(report.lesions[0].centerVoxel).toEqual([2, 1, 1])
    expect(report.lesions[0].centerMm).toEqual([14, 21, 33])
    expect(report.lesions[1].volumeMl).toBeCloseTo(0.006, 10)
  })

  it('points at a voxel of the lesion itself, also when its centre of mass lies outside it', () => {
    // A C-shaped lesion in one slice: its centre (2, 2) is the empty middle.
    const c: Vec3[] = [[1, 1, 0], [2, 1, 0], [3, 1, 0], [1, 2, 0], [1, 3, 0], [2, 3, 0], [3, 3, 0]]
    const mask = maskVolume([6, 6, 1], [1, 1, 1], c)
    const [lesion] = lesionReport(mask, scanOn(mask)).lesions
    expect(lesion.centerVoxel[0]).toBeCloseTo(13 / 7, 10)
    expect(lesion.centerVoxel[1]).toBe(2)
    const [i, j, k] = lesion.focusVoxel
    expect(mask.data[i + 6 * (j + 6 * k)]).toBe(1)
    expect(lesion.focusVoxel).toEqual([1, 2, 0]) // the nearest of its voxels to (1.86, 2)
  })

  it('joins diagonal neighbours and reports an empty mask as 0 mL with no lesions', () => {
    const touching = maskVolume([4, 4, 4], [1, 1, 1], [[0, 0, 0], [1, 1, 1]])
    expect(lesionReport(touching, scanOn(touching)).lesions).toHaveLength(1)
    const empty = maskVolume([4, 4, 4], [1, 1, 1], [])
    expect(lesionReport(empty, scanOn(empty))).toEqual({ voxels: 0, volumeMl: 0, lesions: [] })
  })

  it('measures the largest diameter in mm between voxel centres, along any direction', () => {
    const row = maskVolume([8, 8, 8], [2, 1, 3], [[1, 1, 1], [2, 1, 1], [3, 1, 1]])
    expect(lesionReport(row, scanOn(row)).lesions[0].diameterMm).toBeCloseTo(4, 10) // two gaps of 2 mm
    // A diagonal through anisotropic voxels: from (0,0,0) to (4,4,4) in steps of (2, 1, 3) mm.
    const diagonal = maskVolume([6, 6, 6], [2, 1, 3], [0, 1, 2, 3, 4].map((t): Vec3 => [t, t, t]))
    expect(lesionReport(diagonal, scanOn(diagonal)).lesions[0].diameterMm).toBeCloseTo(4 * Math.hypot(2, 1, 3), 6)
    // A ball of radius 6 voxels: diameter 12 mm within 1 %; a single voxel: 0.
    const ball: Vec3[] = []
    for (let i = 0; i < 15; i++) for (let j = 0; j < 15; j++) for (let k = 0; k < 15; k++) if ((i - 7) ** 2 + (j - 7) ** 2 + (k - 7) ** 2 <= 36) ball.push([i, j, k])
    const sphere = maskVolume([15, 15, 15], [1, 1, 1], ball)
    expect(Math.abs(lesionReport(sphere, scanOn(sphere)).lesions[0].diameterMm - 12)).toBeLessThan(0.12)
    const dot = maskVolume([3, 3, 3], [1, 1, 1], [[1, 1, 1]])
    expect(lesionReport(dot, scanOn(dot)).lesions[0].diameterMm).toBe(0)
  })

  it('gives the slices a lesion spans, the mean scan value over it, and its side of the head midline', () => {
    // Head: x in 0..19 (world x 10..29 mm, midline 19.5 mm); RAS x grows towards the subject's right.
    const lesions: Vec3[] = [[2, 2, 3], [2, 2, 4], [2, 2, 5], [17, 5, 1], [17, 6, 1], [9, 9, 7], [10, 9, 7]]
    const mask = maskVolume([20, 12, 9], [1, 1, 1], lesions)
    const scan = scanOn(mask, (i, _j, k) => 10 * k + i)
    const [left, right, across] = lesionReport(mask, scan).lesions
    expect(left).toMatchObject({ slices: [3, 5], hemisphere: 'left', meanValue: 42 }) // (32 + 42 + 52) / 3
    expect(right).toMatchObject({ slices: [1, 1], hemisphere: 'right', meanValue: 27 })
    expect(across).toMatchObject({ slices: [7, 7], hemisphere: 'both', meanValue: 79.5 })
  })

  it('finds the head midline from the voxels above air, not from the grid', () => {
    // Air everywhere but a head in x 4..9 of a 20-voxel row: midline at x 6.5 (world 16.5 mm).
    const mask = maskVolume([20, 4, 4], [1, 1, 1], [])
    expect(headMidlineMm(scanOn(mask, (i) => (i >= 4 && i <= 9 ? 500 : 0)))).toBeCloseTo(16.5, 10)
    const ct = { ...scanOn(mask, (i) => (i >= 10 ? 30 : -1000)), modality: 'CT' as const }
    expect(headMidlineMm(ct)).toBeCloseTo(24.5, 10) // x 10..19
  })
})
