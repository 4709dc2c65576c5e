import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerBatchNormGradient } from './batchNormGradient'

beforeAll(async () => {
  registerBatchNormGradient()
  expect(await tf.setBackend('wasm')).toBe(true)
})

type Inputs = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] // x, mean, variance, scale, offset
const EPSILON = 1e-3

/** Batch norm written with elementary ops only, so its gradient never touches FusedBatchNorm. */
function elementaryBatchNorm([x, mean, variance, scale, offset]: Inputs): tf.Tensor {
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPSILON))), scale), offset)
}

function gradientsOf(f: (inputs: Inputs) => tf.Tensor, inputs: Inputs, dy: tf.Tensor): Float32Array[] {
  return tf.tidy(() => tf.grads((...t: tf.Tensor[]) => f(t as Inputs).mul(dy).sum())(inputs).map((g) => g.dataSync() as Float32Array))
}

describe('FusedBatchNorm gradient (broadcasting, no Tile)', () => {
  it('equals the gradient of the same batch norm written with elementary ops, for every input', () => {
    const x = tf.randomNormal([2, 5, 4, 3], 1, 2, 'float32', 1)
    const [mean, variance] = tf.tidy(() => {
      const m = tf.moments(x, [0, 1, 2])
      return [m.mean, m.variance]
    })
    const inputs: Inputs = [x, mean, variance, tf.randomNormal([3], 1, 0.5, 'float32', 2), tf.randomNormal([3], 0, 1, 'float32', 3)]
    const dy = tf.randomNormal(x.shape, 0, 1, 'float32', 4)
    const fused = gradientsOf(([a, m, v, s, o]) => tf.batchNorm(a, m, v, o, s, EPSILON), inputs, dy)
    const reference = gradientsOf(elementaryBatchNorm, inputs, dy)
    fused.forEach((g, i) => g.forEach((value, j) => expect(value).toBeCloseTo(reference[i][j], 4)))
    tf.dispose([...inputs, dy])
  })

  it('runs without Tile and leaves no tensor behind', async () => {
    const x = tf.randomNormal([2, 6, 6, 4], 0, 1, 'float32', 5)
    const [scale, offset] = [tf.ones([4]), tf.zeros([4])]
    const before = tf.memory().numTensors
    const profile = await tf.profile(() => tf.grad((a: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2])
      return tf.batchNorm(a, mean, variance, offset, scale, EPSILON).square().sum()
    })(x))
    expect(profile.kernelNames).toContain('FusedBatchNorm')
    expect(profile.kernelNames).not.toContain('Tile')
    tf.dispose(profile.result as tf.Tensor)
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([x, scale, offset])
  })
})
