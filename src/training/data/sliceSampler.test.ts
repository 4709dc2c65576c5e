import { describe, expect, it } from 'vitest'
import { createRandom } from './random'
import { sampleBatch, writeAugmentedSlice, type PreparedCase } from './sliceSampler'

/** Two 8x8x4 cases: a ramp image; case a has lesion on slice 2 only. */
function preparedCase(id: string, lesion: boolean): PreparedCase {
  const [rows, columns, slices] = [8, 8, 4]
  const images = Float32Array.from({ length: rows * columns * slices }, (_, i) => (i % 64) / 64)
  const masks = new Uint8Array(images.length)
  if (lesion) masks.fill(1, 2 * 64 + 27, 2 * 64 + 29)
  return { id, images, masks, rows, columns, slices, background: -1, headSlices: [0, 1, 2, 3], lesionSlices: lesion ? [2] : [] }
}
const cases = [preparedCase('a', true), preparedCase('b', false)]
const options = { size: 16, batch: 6, lesionFraction: 0.5, augment: true, seed: 9 }

describe('slice sampler', () => {
  it('draws the same batch for the same (seed, epoch, step), another for the next step', () => {
    const first = sampleBatch(cases, options, 3, 7)
    expect(sampleBatch(cases, options, 3, 7)).toEqual(first)
    expect(sampleBatch(cases, options, 3, 8).images).not.toEqual(first.images)
  })

  it('over-represents lesion slices as asked', () => {
    let withLesion = 0
    for (let step = 0; step < 40; step++) {
      const { masks } = sampleBatch(cases, { ...options, lesionFraction: 1 }, 0, step)
      for (let b = 0; b < options.batch; b++) if (masks.subarray(b * 256, (b + 1) * 256).some((v) => v > 0)) withLesion++
    }
    expect(withLesion).toBeGreaterThan(0.9 * 40 * options.batch) // a few lose the lesion to shifts
  })

  it('without augmentation, centres the slice unchanged and pads with the background', () => {
    const image = new Float32Array(256)
    const mask = new Float32Array(256)
    writeAugmentedSlice(cases[0], 2, { size: 16, augment: false }, createRandom(1), image, mask)
    expect(image[0]).toBe(-1) // padding
    expect(image[4 * 16 + 4]).toBeCloseTo(0) // slice pixel (0, 0)
    expect(mask[7 * 16 + 7] + mask[7 * 16 + 8]).toBe(2) // lesion pixels 27, 28 = row 3, columns 3-4
  })
})
