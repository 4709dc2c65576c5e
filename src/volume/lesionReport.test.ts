import { describe, expect, it } from 'vitest'
import { lesionReport } from './lesionReport'
import type { Volume } from './volume'

function maskVolume(dims: [number, number, number], spacing: [number, number, number], on: Array<[number, number, number]>): Volume {
  const data = new Uint8Array(dims[0] * dims[1] * dims[2])
  for (const [i, j, k] of on) data[i + dims[0] * (j + dims[1] * k)] = 1
  const affine = [[spacing[0], 0, 0, 10], [0, spacing[1], 0, 20], [0, 0, spacing[2], 30], [0, 0, 0, 1]]
  return { name: 'm', dims, spacing, affine, data, datatype: 'uint8', scaling: null, modality: 'unknown' } as unknown as Volume
}

describe('lesionReport', () => {
  it('gives mL from the voxel spacing and each 26-connected lesion, largest first, with its centre', () => {
    // Lesion A: 3 voxels in a row; lesion B: 1 voxel, not touching A (diagonal neighbours would join them).
    const mask = maskVolume([8, 8, 8], [2, 1, 3], [[1, 1, 1], [2, 1, 1], [3, 1, 1], [6, 6, 6]])
    const report = lesionReport(mask)
    expect(report.voxels).toBe(4)
    expect(report.volumeMl).toBeCloseTo((4 * 6) / 1000, 10) // 2 x 1 x 3 mm = 6 mm³ per voxel
    expect(report.lesions.map((l) => l.voxels)).toEqual([3, 1])
    expect(report.lesions[0].centerVoxel).toEqual([2, 1, 1])
    expect(report.lesions[0].centerMm).toEqual([14, 21, 33])
    expect(report.lesions[1].volumeMl).toBeCloseTo(0.006, 10)
  })

  it('points at a voxel of the lesion itself, also when its centre of mass lies outside it', () => {
    // A C-shaped lesion in one slice: its centre (2, 2) is the empty middle.
    const c: Array<[number, number, number]> = [[1, 1, 0], [2, 1, 0], [3, 1, 0], [1, 2, 0], [1, 3, 0], [2, 3, 0], [3, 3, 0]]
    const mask = maskVolume([6, 6, 1], [1, 1, 1], c)
    const [lesion] = lesionReport(mask).lesions
    expect(lesion.centerVoxel[0]).toBeCloseTo(13 / 7, 10)
    expect(lesion.centerVoxel[1]).toBe(2)
    const [i, j, k] = lesion.focusVoxel
    expect(mask.data[i + 6 * (j + 6 * k)]).toBe(1)
    expect(lesion.focusVoxel).toEqual([1, 2, 0]) // the nearest of its voxels to (1.86, 2)
  })

  it('joins diagonal neighbours and reports an empty mask as 0 mL with no lesions', () => {
    expect(lesionReport(maskVolume([4, 4, 4], [1, 1, 1], [[0, 0, 0], [1, 1, 1]])).lesions).toHaveLength(1)
    expect(lesionReport(maskVolume([4, 4, 4], [1, 1, 1], []))).toEqual({ voxels: 0, volumeMl: 0, lesions: [] })
  })
})
