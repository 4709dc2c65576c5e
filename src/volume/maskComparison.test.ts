import { describe, expect, it } from 'vitest'
import { compareMasks } from './maskComparison'
import { emptyMaskOn, type Volume } from './volume'
import { identityAffine } from './affine'

function maskWith(lesion: readonly number[]): Volume {
  const scan: Volume = { name: 's', dims: [4, 4, 2], spacing: [2, 2, 5], affine: identityAffine(), data: new Float32Array(32), datatype: 'float32', modality: 'MR', scaling: null }
  const mask = emptyMaskOn(scan, 'm')
  for (const i of lesion) mask.data[i] = 1
  return mask
}

describe('compareMasks', () => {
  it('counts the voxels in one mask only, in both, their volumes and the Dice', () => {
    const c = compareMasks(maskWith([0, 1, 2, 3]), maskWith([2, 3, 4, 5, 6, 7]))
    expect(c).toMatchObject({ bothVoxels: 2, onlyAVoxels: 2, onlyBVoxels: 4 })
    expect(c.dice).toBeCloseTo((2 * 2) / (4 + 6), 12)
    expect(c.volumeAMl).toBeCloseTo((4 * 20) / 1000, 12) // 2 x 2 x 5 mm = 20 mm3 per voxel
    expect(c.volumeBMl).toBeCloseTo((6 * 20) / 1000, 12)
  })

  it('gives Dice 1 for identical masks and none when both are empty', () => {
    expect(compareMasks(maskWith([5, 9]), maskWith([5, 9])).dice).toBe(1)
    expect(compareMasks(maskWith([]), maskWith([])).dice).toBeNull()
    expect(compareMasks(maskWith([1]), maskWith([])).dice).toBe(0)
  })
})
