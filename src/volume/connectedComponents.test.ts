import { describe, expect, it } from 'vitest'
import { connectedComponents } from './connectedComponents'

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
})
