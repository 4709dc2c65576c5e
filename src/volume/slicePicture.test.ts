import { describe, expect, it } from 'vitest'
import { axialPicture, slicesWithMostLesion } from './slicePicture'
import type { Volume } from './volume'

/** A 6 x 5 x 3 grid; LAS (x runs towards the subject's left), 1 x 2 x 3 mm. */
function grid(data: Uint8Array | Float32Array): Volume {
  const affine = [[-1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0], [0, 0, 0, 1]] as const
  return { name: 'v', dims: [6, 5, 3], spacing: [1, 2, 3], affine, data, datatype: 'uint8', scaling: null, modality: 'MR' }
}
const index = (i: number, j: number, k: number) => i + 6 * (j + 5 * k)

describe('slice pictures', () => {
  it('picks the slices with the most lesion, largest first', () => {
    const mask = new Uint8Array(90)
    for (const [i, j, k] of [[1, 1, 0], [1, 1, 2], [2, 1, 2], [3, 3, 2]]) mask[index(i, j, k)] = 1
    expect(slicesWithMostLesion(grid(mask), 5)).toEqual([2, 0])
    expect(slicesWithMostLesion(grid(mask), 1)).toEqual([2])
  })

  it('draws the window in grey and the lesion outline in red, anterior up, right where the display puts it', () => {
    const scan = new Float32Array(90).fill(50)
    scan[index(0, 4, 1)] = 150 // source i 0 is the subject's rightmost column (LAS); j 4 the most anterior row
    const mask = new Uint8Array(90)
    for (let i = 1; i <= 4; i++) for (let j = 1; j <= 3; j++) mask[index(i, j, 1)] = 1 // a 4 x 3 block: its middle is not outline
    const window = { center: 100, width: 200 } // 50 -> 64 grey, 150 -> 191
    const pixel = (p: ReturnType<typeof axialPicture>, column: number, row: number) => Array.from(p.rgba.slice(4 * (row * p.width + column), 4 * (row * p.width + column) + 3))
    const neurological = axialPicture(grid(scan), grid(mask), 1, window, false)
    expect([neurological.width, neurological.height, neurological.pixelAspect, neurological.lesionPixels]).toEqual([6, 5, 2, 12])
    expect(pixel(neurological, 5, 0)).toEqual([191, 191, 191]) // right and anterior: top right
    expect(pixel(neurological, 0, 4)).toEqual([64, 64, 64])
    expect(pixel(neurological, 1, 1)).toEqual([255, 40, 40]) // block corner: outline
    expect(pixel(neurological, 2, 2)).toEqual([64, 64, 64]) // block inside: the scan
    const radiological = axialPicture(grid(scan), grid(mask), 1, window, true)
    expect(pixel(radiological, 0, 0)).toEqual([191, 191, 191]) // right on the left
  })
})
