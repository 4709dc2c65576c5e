import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmLeadingAxesReduction } from './wasmLeadingAxesReduction'

beforeAll(async () => {
  registerWasmLeadingAxesReduction()
  expect(await tf.setBackend('wasm')).toBe(true)
})

async function reduceOn(backend: string, op: 'sum' | 'mean', shape: number[], axis: number | number[], keepDims: boolean, dtype: 'float32' | 'int32') {
  await tf.setBackend(backend)
  return tf.tidy(() => {
    const x = tf.cast(tf.randomUniform(shape, -50, 50, 'float32', 7), dtype)
    const result = tf[op](x, axis, keepDims)
    return { shape: result.shape, dtype: result.dtype, values: Array.from(result.dataSync()) }
  })
}

describe('WASM Sum and Mean over the leading axes', () => {
  it.each([
    { op: 'sum' as const, shape: [8, 33, 17, 16], axis: [0, 1, 2], keepDims: false, dtype: 'float32' as const },
    { op: 'mean' as const, shape: [8, 33, 17, 16], axis: [2, 0, 1], keepDims: false, dtype: 'float32' as const },
    { op: 'sum' as const, shape: [5, 300, 3], axis: [0, 1], keepDims: true, dtype: 'float32' as const },
    { op: 'mean' as const, shape: [700, 9], axis: 0, keepDims: false, dtype: 'float32' as const },
    // handed to the stock kernels: trailing axes, every axis, integers
    { op: 'sum' as const, shape: [4, 6, 5], axis: [1, 2], keepDims: false, dtype: 'float32' as const },
    { op: 'mean' as const, shape: [4, 6, 5], axis: [0, 1, 2], keepDims: false, dtype: 'float32' as const },
    { op: 'sum' as const, shape: [4, 6, 5], axis: [0, 1], keepDims: false, dtype: 'int32' as const },
  ])('$op of $shape ($dtype) over $axis equals the CPU backend', async ({ op, shape, axis, keepDims, dtype }) => {
    const actual = await reduceOn('wasm', op, shape, axis, keepDims, dtype)
    const expected = await reduceOn('cpu', op, shape, axis, keepDims, dtype)
    expect({ shape: actual.shape, dtype: actual.dtype }).toEqual({ shape: expected.shape, dtype: expected.dtype })
    actual.values.forEach((v, i) => expect(Math.abs(v - expected.values[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected.values[i]))))
  })

  it('leaves no tensor or heap buffer behind', async () => {
    await tf.setBackend('wasm')
    const x = tf.randomNormal([4, 8, 8, 6])
    const [tensors, dataIds] = [tf.memory().numTensors, tf.backend().numDataIds()]
    tf.dispose([tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2], true)])
    expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual([tensors, dataIds])
    x.dispose()
  })
})
