import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmConvGradients } from './wasmConvGradients'

beforeAll(async () => {
  registerWasmConvGradients()
  expect(await tf.setBackend('wasm')).toBe(true)
})

interface Case {
  readonly x: [number, number, number, number] // [N, H, W, Ci]
  readonly kernel: number
  readonly co: number
  readonly pad: 'same' | 'valid'
}

/** Gradients of sum(conv2d(x, w) * dy) on one backend: [dX, dW] as plain arrays. */
async function convGradients(backend: string, c: Case, seed: number): Promise<Float32Array[]> {
  await tf.setBackend(backend)
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D
    const w = tf.randomNormal([c.kernel, c.kernel, c.x[3], c.co], 0, 1, 'float32', seed + 1) as tf.Tensor4D
    const outShape = tf.conv2d(x, w, 1, c.pad).shape
    const dy = tf.randomNormal(outShape, 0, 1, 'float32', seed + 2)
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad).mul(dy).sum())
    return grads([x, w]).map((g) => g.dataSync() as Float32Array)
  })
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0
  let scale = 0
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
    scale = Math.max(scale, Math.abs(expected[i]))
  }
  return worst / scale
}

describe('WASM Conv2DBackpropFilter / Conv2DBackpropInput match the CPU backend', () => {
  const cases: Case[] = [
    { x: [2, 9, 7, 3], kernel: 3, co: 5, pad: 'same' },
    { x: [2, 9, 7, 3], kernel: 3, co: 5, pad: 'valid' },
    { x: [1, 11, 13, 4], kernel: 1, co: 6, pad: 'same' },
    { x: [3, 5, 6, 2], kernel: 1, co: 3, pad: 'valid' },
    { x: [1, 8, 8, 16], kernel: 3, co: 8, pad: 'same' },
    { x: [2, 7, 9, 3], kernel: 5, co: 2, pad: 'same' },
    { x: [1, 6, 10, 2], kernel: 2, co: 3, pad: 'same' },
    { x: [2, 6, 10, 2], kernel: 2, co: 3, pad: 'valid' },
    { x: [2, 9, 8, 3], kernel: 5, co: 4, pad: 'valid' },
  ]
  it.each(cases)('x $x, $kernel x $kernel kernel to $co channels, $pad', async (c) => {
    const [dxCpu, dwCpu] = await convGradients('cpu', c, 7)
    const [dxWasm, dwWasm] = await convGradients('wasm', c, 7)
    expect(relativeError(dxWasm, dxCpu)).toBeLessThan(1e-5)
    expect(relativeError(dwWasm, dwCpu)).toBeLessThan(1e-5)
  })

  it('leaves no tensor and no backend buffer behind (the zero-copy views included)', async () => {
    await tf.setBackend('wasm')
    const [tensorsBefore, buffersBefore] = [tf.memory().numTensors, tf.backend().numDataIds()]
    await convGradients('wasm', cases[0], 3)
    await convGradients('wasm', cases[2], 3)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    expect(tf.backend().numDataIds()).toBe(buffersBefore)
  })

  it('refuses strides it does not implement, with a clear message', async () => {
    await tf.setBackend('wasm')
    const x = tf.ones([1, 8, 8, 1]) as tf.Tensor4D
    const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D
    expect(() => tf.grad((a: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, w, 2, 'same').sum())(x)).toThrow(/supports stride 1/)
    tf.dispose([x, w])
  })
})
