import { describe, expect, it } from 'vitest'
import { dilateMask } from './dilateMask'

describe('dilateMask', () => {
  it('grows a voxel into the ball of the radius in mm, on an anisotropic grid', () => {
    const dims = [9, 9, 5] as const
    const mask = new Uint8Array(9 * 9 * 5)
    const centre = 4 + 9 * (4 + 9 * 2)
    mask[centre] = 1
    const grown = dilateMask(mask, dims, [1, 1, 2], 2.5)
    const at = (x: number, y: number, z: number) => grown[x + 9 * (y + 9 * z)]
    expect(at(4, 4, 2)).toBe(1)
    expect([at(6, 4, 2), at(4, 2, 2), at(4, 4, 3), at(5, 5, 3), at(6, 5, 2)]).toEqual([1, 1, 1, 1, 1]) // 2, 2, 2, sqrt(6), sqrt(5) mm away
    expect([at(7, 4, 2), at(4, 4, 4), at(6, 4, 3), at(6, 6, 2)]).toEqual([0, 0, 0, 0]) // 3, 4, sqrt(8), sqrt(8) mm away
    let count = 0
    for (let dz = -1; dz <= 1; dz++) for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (dx * dx + dy * dy + 4 * dz * dz <= 6.25) count++
    expect(grown.reduce((s, v) => s + v, 0)).toBe(count)
  })

  it('keeps every voxel of the mask and adds nothing with a radius under the spacing', () => {
    const mask = new Uint8Array(64).map((_, i) => (i % 7 === 0 ? 1 : 0))
    expect(Array.from(dilateMask(mask, [4, 4, 4], [1, 1, 1], 0.5))).toEqual(Array.from(mask))
  })
})
