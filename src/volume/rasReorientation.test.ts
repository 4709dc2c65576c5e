import { describe, expect, it } from 'vitest'
import type { Affine, Vec3 } from './affine'
import { rasReorientation, toRasOrder } from './rasReorientation'

const dims: Vec3 = [4, 3, 2]
const ramp = Float32Array.from({ length: 24 }, (_, i) => i)

describe('rasReorientation', () => {
  it('leaves an RAS grid as it is', () => {
    const r = rasReorientation([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], dims, [1, 2, 3])
    expect(r.dims).toEqual([4, 3, 2])
    expect(r.spacing).toEqual([1, 2, 3])
    expect(Array.from(toRasOrder(ramp, r))).toEqual(Array.from(ramp))
  })

  it('flips an LPS grid (DICOM order) on x and y, visiting every voxel once', () => {
    const lps: Affine = [[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    const r = rasReorientation(lps, dims, [1, 1, 1])
    const ras = toRasOrder(ramp, r)
    // RAS voxel (0,0,0) is source voxel (3,2,0) = index 3 + 4*2 = 11
    expect(ras[0]).toBe(11)
    expect(new Set(ras).size).toBe(ramp.length) // a reordering: every voxel once
  })

  it('permutes a coronal-acquired grid (axes x, z, y) and keeps spacing with its axis', () => {
    const coronal: Affine = [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]
    const r = rasReorientation(coronal, dims, [1, 5, 2])
    expect(r.dims).toEqual([4, 2, 3])
    expect(r.spacing).toEqual([1, 2, 5])
    const ras = toRasOrder(ramp, r)
    // RAS (x=1, y=1, z=2) is source (i=1, k=1, j=2) -> 1 + 4*2 + 12*1 = 21
    expect(ras[1 + 4 * 1 + 8 * 2]).toBe(21)
    expect(new Set(ras).size).toBe(ramp.length) // a reordering: every voxel once
  })

  it('takes the nearest axes of an oblique (tilted) grid', () => {
    const c = Math.cos(0.3)
    const s = Math.sin(0.3)
    const tilted: Affine = [[-1, 0, 0, 0], [0, -c, s, 0], [0, s, c, 0], [0, 0, 0, 1]]
    const r = rasReorientation(tilted, dims, [1, 1, 1])
    expect(r.sourceAxisOf).toEqual([0, 1, 2])
    expect(r.flipped).toEqual([true, true, false])
  })
})
