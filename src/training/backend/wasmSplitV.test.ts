import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmSplitV } from './wasmSplitV'

beforeAll(async () => {
  registerWasmSplitV()
  expect(await tf.setBackend('wasm')).toBe(true)
})

async function splitOn(backend: string, shape: number[], sizes: number[] | number, axis: number, dtype: 'float32' | 'int32' | 'bool') {
  await tf.setBackend(backend)
  return tf.tidy(() => {
    const uniform = tf.randomUniform(shape, -50, 50, 'float32', 11)
    const x = dtype === 'bool' ? tf.greater(uniform, 0) : tf.cast(uniform, dtype)
    return tf.split(x, sizes, axis).map((piece) => ({ shape: piece.shape, values: Array.from(piece.dataSync()) }))
  })
}

describe('WASM SplitV', () => {
  it.each([
    { shape: [2, 5, 4, 7], sizes: [3, 1, 3], axis: 3, dtype: 'float32' as const },
    { shape: [2, 5, 4, 80], sizes: [16, 64], axis: -1, dtype: 'float32' as const },
    { shape: [3, 6, 5], sizes: [2, -1], axis: 1, dtype: 'int32' as const },
    { shape: [4, 9], sizes: 3, axis: 1, dtype: 'bool' as const },
    { shape: [6, 2, 3], sizes: [1, 5], axis: 0, dtype: 'float32' as const },
  ])('$shape split $sizes on axis $axis ($dtype) equals the CPU backend', async ({ shape, sizes, axis, dtype }) => {
    expect(await splitOn('wasm', shape, sizes, axis, dtype)).toEqual(await splitOn('cpu', shape, sizes, axis, dtype))
  })

  it('is the gradient of concat, and leaves no tensor behind', async () => {
    await tf.setBackend('wasm')
    const before = tf.memory().numTensors
    const [a, b] = [tf.ones([2, 3, 3, 2]), tf.ones([2, 3, 3, 5])]
    const weights = tf.tidy(() => tf.range(0, 7).reshape([1, 1, 1, 7]))
    const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.concat([p, q], 3).mul(weights).sum())([a, b])
    expect(Array.from(da.dataSync().slice(0, 2))).toEqual([0, 1])
    expect(Array.from(db.dataSync().slice(0, 5))).toEqual([2, 3, 4, 5, 6])
    tf.dispose([a, b, weights, da, db])
    expect(tf.memory().numTensors).toBe(before)
  })
})
