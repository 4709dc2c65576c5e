import { existsSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { selectBackend } from './selectBackend'
import { bandsOf, chunkCount, filterGradientLimits } from './webgpuConvFilterGradient'

process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json'
const vulkanDriver = existsSync(process.env.VK_ICD_FILENAMES)

interface Case {
  readonly x: [number, number, number, number] // [N, H, W, Ci]
  readonly kernel: [number, number]
  readonly co: number
  readonly pad: 'same' | 'valid'
  readonly strides?: number
  /** Band size limit for this case (bytes): small ones make several bands. */
  readonly bandBytes?: number
}

const CASES: Case[] = [
  { x: [2, 9, 7, 3], kernel: [3, 3], co: 5, pad: 'same' },
  { x: [2, 32, 40, 4], kernel: [3, 3], co: 6, pad: 'same' }, // 2560 output pixels: two chunks
  { x: [1, 8, 10, 4], kernel: [3, 3], co: 2, pad: 'valid' },
  { x: [3, 6, 6, 5], kernel: [1, 1], co: 4, pad: 'same' },
  { x: [1, 10, 12, 2], kernel: [2, 4], co: 3, pad: 'same' }, // even kernel: uneven 'same' padding
  { x: [3, 8, 8, 4], kernel: [3, 3], co: 5, pad: 'same', bandBytes: 4 * 5 * 130 }, // bands of two images, then one
  { x: [2, 9, 7, 3], kernel: [3, 3], co: 5, pad: 'valid', bandBytes: 4 * 5 * 11 }, // bands of two rows of one image
  { x: [2, 9, 7, 3], kernel: [3, 3], co: 5, pad: 'same', bandBytes: 4 * 5 * 15 },
  { x: [1, 9, 9, 2], kernel: [3, 3], co: 2, pad: 'same', strides: 2 }, // handed to the stock kernel
]

/** The same values on every backend, in [-1, 1]. */
const fixedValues = (shape: number[], seed: number) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233))

/** dW of a conv2d (the filter gradient) for fixed x, dy on the current backend. */
async function filterGradient(c: Case, seed: number): Promise<{ values: Float32Array; shape: number[] }> {
  const dw = tf.tidy(() => {
    const x = tf.tensor(fixedValues(c.x, seed), c.x) as tf.Tensor4D
    const w = tf.tensor(fixedValues([...c.kernel, c.x[3], c.co], seed + 1), [...c.kernel, c.x[3], c.co]) as tf.Tensor4D
    const y = tf.conv2d(x, w, c.strides ?? 1, c.pad)
    const dy = tf.tensor(fixedValues(y.shape, seed + 2), y.shape)
    return tf.grad((filter) => tf.conv2d(x, filter as tf.Tensor4D, c.strides ?? 1, c.pad).mul(dy).sum())(w)
  })
  const values = (await dw.data()) as Float32Array // never dataSync on WebGPU
  dw.dispose()
  return { values, shape: dw.shape }
}

describe('Conv2DBackpropFilter on WebGPU (StrokeSeg kernel)', () => {
  it('cuts large inputs into bands of whole images, else of rows of one image, covering every output pixel once', () => {
    expect(bandsOf(8, 256, 256, 1 << 20)).toEqual([{ b0: 0, b1: 8, y0: 0, y1: 256 }])
    expect(bandsOf(5, 10, 10, 250)).toEqual([{ b0: 0, b1: 2, y0: 0, y1: 10 }, { b0: 2, b1: 4, y0: 0, y1: 10 }, { b0: 4, b1: 5, y0: 0, y1: 10 }])
    expect(bandsOf(2, 10, 10, 35)).toEqual([0, 1].flatMap((b) => [[0, 3], [3, 6], [6, 9], [9, 10]].map(([y0, y1]) => ({ b0: b, b1: b + 1, y0, y1 }))))
    expect(bandsOf(1, 4, 100, 10)).toHaveLength(4) // one row at least
  })

  it('splits the reduction into chunks that divide it', () => {
    expect(chunkCount(8 * 256 * 256)).toBe(512)
    expect(chunkCount(2560)).toBe(2)
    expect(chunkCount(1560)).toBe(1)
    expect(chunkCount(3 * 1031)).toBe(3)
  })

  it.skipIf(!vulkanDriver)('matches the CPU backend for same and valid padding, odd and even kernels, with chunks; strides go to the stock kernel', async () => {
    await tf.setBackend('cpu')
    const expected = await Promise.all(CASES.map((c, i) => filterGradient(c, 10 * i)))
    await selectBackend('webgpu')
    const tensorsBefore = tf.memory().numTensors
    const dataBefore = tf.engine().backend.numDataIds()
    const defaultBandBytes = filterGradientLimits.bandBytes
    for (const [i, c] of CASES.entries()) {
      filterGradientLimits.bandBytes = c.bandBytes ?? defaultBandBytes
      const actual = await filterGradient(c, 10 * i)
      filterGradientLimits.bandBytes = defaultBandBytes
      expect(actual.shape).toEqual(expected[i].shape)
      const scale = Math.max(...expected[i].values.map(Math.abs))
      const worst = Math.max(...actual.values.map((v, j) => Math.abs(v - expected[i].values[j])))
      expect(worst / scale, JSON.stringify(c)).toBeLessThan(1e-5)
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore)
  }, 120_000)
})
