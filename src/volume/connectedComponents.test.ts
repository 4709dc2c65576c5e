import { describe, expect, it } from 'vitest'
import { connectedComponents, keepLesions } from './connectedComponents'

describe('connectedComponents', () => {
  it('joins diagonal neighbours (26-connectivity) and separates distant blobs', () => {
    const dims = [4, 4, 2] as const
    const mask = new Uint8Array(32)
    mask[0] = 1 // (0,0,0)
    mask[1 + 4 + 16] = 1 // (1,1,1): diagonal to (0,0,0)
    mask[3 + 4 * 3] = 1 // (3,3,0): alone
    const { count, sizes, labels } = connectedComponents(mask, dims)
    expect(count).toBe(2)
    expect(sizes.slice(1)).toEqual([2, 1])
    expect(labels[0]).toBe(labels[21])
  })

  it('finds nothing in an empty mask', () => {
    expect(connectedComponents(new Uint8Array(8), [2, 2, 2]).count).toBe(0)
  })

  it('drops the lesions smaller than a volume in mL, on the grid of the spacing given', () => {
    const dims = [4, 4, 2] as const
    const mask = new Uint8Array(32)
    mask.set([1, 1], 0) // 2 voxels
    mask[15] = 1 // 1 voxel
    const spacing = [2, 1, 1] as const // 2 uL a voxel
    expect(keepLesions(mask.slice(), dims, spacing, { seeded: false, minMl: 0 })).toEqual({ dropped: 0, outsideRegion: 0 })
    const cut = mask.slice()
    expect(keepLesions(cut, dims, spacing, { seeded: false, minMl: 0.004 })).toEqual({ dropped: 1, outsideRegion: 0 }) // 4 uL: the 2-voxel one stays
    expect(Array.from(cut.subarray(0, 16))).toEqual([1, 1, ...new Array(14).fill(0)])
    expect(keepLesions(cut, dims, spacing, { seeded: false, minMl: 0.0041 })).toEqual({ dropped: 1, outsideRegion: 0 })
    expect(cut.every((v) => v === 0)).toBe(true)
  })

  it('keeps, with seeds, the lesions that hold a seed voxel (2), whole and as 1, and of those the large enough', () => {
    const dims = [4, 4, 2] as const
    const mask = new Uint8Array(32)
    mask.set([1, 2, 1], 0) // 3 voxels, one a seed
    mask[15] = 2 // 1 voxel, a seed
    mask[16 + 12] = 1 // 1 voxel, no seed
    const seededOnly = mask.slice()
    expect(keepLesions(seededOnly, dims, [1, 1, 1], { seeded: true, minMl: 0 })).toEqual({ dropped: 1, outsideRegion: 0 })
    expect(Array.from(seededOnly).map((v, i) => (v ? i : -1)).filter((i) => i >= 0)).toEqual([0, 1, 2, 15])
    expect(seededOnly.every((v) => v <= 1)).toBe(true)
    const seededLarge = mask.slice()
    expect(keepLesions(seededLarge, dims, [1, 1, 1], { seeded: true, minMl: 0.002 })).toEqual({ dropped: 2, outsideRegion: 0 }) // 2 uL: only the 3-voxel one
    expect(Array.from(seededLarge).map((v, i) => (v ? i : -1)).filter((i) => i >= 0)).toEqual([0, 1, 2])
  })

  it('drops, with a region, the lesions with less than its share of voxels inside it, and counts them apart', () => {
    const dims = [8, 1, 1] as const
    const mask = Uint8Array.from([1, 1, 0, 1, 1, 1, 0, 1]) // lesions of 2, 3 and 1 voxels
    const region = Uint8Array.from([0, 1, 0, 0, 1, 0, 0, 0]) // half of the first, a third of the second, none of the third
    const kept = mask.slice()
    expect(keepLesions(kept, dims, [1, 1, 1], { seeded: false, minMl: 0, region: { mask: region, minShare: 0.5 } })).toEqual({ dropped: 2, outsideRegion: 2 })
    expect(Array.from(kept)).toEqual([1, 1, 0, 0, 0, 0, 0, 0])
    const small = mask.slice()
    expect(keepLesions(small, dims, [1, 1, 1], { seeded: false, minMl: 0.0015, region: { mask: region, minShare: 0.4 } })).toEqual({ dropped: 2, outsideRegion: 1 }) // the 1-voxel one is too small, not outside
    expect(Array.from(small)).toEqual([1, 1, 0, 0, 0, 0, 0, 0])
  })
})
