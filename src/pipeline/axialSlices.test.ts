import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import type { Vec3 } from '../volume/affine'
import { lesionPixelsOnNativeGrid, sliceGeometry } from './axialSlices'

/** Smooth made-up probabilities in [0, 1] with a few bright blobs: [b, padded rows, padded columns]. */
function madeUpOutput(b: number, rows: number, columns: number, seed: number): Float32Array {
  return Float32Array.from({ length: b * rows * columns }, (_, i) => {
    const [x, y, s] = [i % columns, Math.floor(i / columns) % rows, Math.floor(i / (rows * columns))]
    return 0.5 + 0.5 * Math.sin(x * 0.37 + seed) * Math.cos(y * 0.23 + s * 1.7 + seed)
  })
}

describe('lesionPixelsOnNativeGrid', () => {
  it.each([
    ['down to the model and back up', [124, 160, 3] as Vec3, [1, 1.2, 1] as Vec3, 1.5],
    ['CT-like: 0.49 mm pixels, 2 mm model', [97, 83, 2] as Vec3, [0.49, 0.49, 5] as Vec3, 2],
    ['same spacing (no resampling), padding only', [30, 21, 2] as Vec3, [2, 2, 2] as Vec3, 2],
    ['a tight crop padded up to a 64-pixel training size', [124, 160, 3] as Vec3, [1, 1.2, 4] as Vec3, 4, 64],
  ])('%s: the pixels that tf.image.resizeBilinear then >= threshold gives', (_, dims, spacing, modelSpacing, minSize = 0) => {
    const geometry = sliceGeometry(dims, spacing, modelSpacing, 16, minSize)
    const [top, bottom, left, right] = geometry.padding
    const padded = [geometry.resampled[0] + top + bottom, geometry.resampled[1] + left + right]
    expect(padded.map((n) => n % 16)).toEqual([0, 0])
    expect(Math.min(...padded)).toBeGreaterThanOrEqual(minSize)
    expect(Math.abs(top - bottom) <= 1 && Math.abs(left - right) <= 1).toBe(true)
    const [rows, columns] = [geometry.resampled[0] + top + bottom, geometry.resampled[1] + left + right]
    const output = madeUpOutput(dims[2], rows, columns, dims[0])
    for (const threshold of [0.5, 0.9]) {
      const expected = tf.tidy(() => {
        const cropped = tf.tensor4d(output, [dims[2], rows, columns, 1]).slice([0, top, left, 0], [-1, ...geometry.resampled, 1])
        return tf.image.resizeBilinear(cropped as tf.Tensor4D, [...geometry.native], false, true).greaterEqual(threshold).dataSync()
      })
      const sliceSize = geometry.native[0] * geometry.native[1]
      const actual = new Uint8Array(expected.length)
      const forEachLesionPixel = lesionPixelsOnNativeGrid(geometry)
      for (let i = 0; i < dims[2]; i++) forEachLesionPixel(output, i, threshold, (y, x) => (actual[i * sliceSize + y * geometry.native[1] + x] = 1))
      expect(actual.some((v) => v === 1) && actual.some((v) => v === 0)).toBe(true)
      expect(Array.from(actual)).toEqual(Array.from(expected))
    }
  })

  it('finds nothing in a slice below the threshold', () => {
    const geometry = sliceGeometry([64, 64, 1], [1, 1, 1], 2, 16)
    let calls = 0
    lesionPixelsOnNativeGrid(geometry)(new Float32Array(32 * 32).fill(0.49), 0, 0.5, () => calls++)
    expect(calls).toBe(0)
  })
})
