import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { BatchNormRelu, batchNormReluTraining } from './batchNormRelu'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const EPSILON = 1e-3

/** The same function from elementary ops, so that tfjs differentiates through moments itself. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2])
  return tf.relu(tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPSILON))), gamma), beta))
}

function fused(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { y, statistics } = batchNormReluTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, EPSILON)
  tf.dispose([statistics.mean, statistics.variance])
  return y
}

/** Output and the gradients for x, gamma, beta of sum(f(x) * dy), as plain arrays. */
function valueAndGradients(f: typeof reference, inputs: tf.Tensor[], dy: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const value = f(inputs[0], inputs[1], inputs[2])
    const grads = tf.grads((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => f(x, g, b).mul(dy).sum())(inputs)
    return [value, ...grads].map((t) => Array.from(t.dataSync()))
  })
}

describe('batchNormReluTraining', () => {
  it.each([
    { shape: [2, 5, 4, 3], mean: 1, sd: 2 },
    { shape: [3, 4, 4, 7], mean: -4, sd: 0.5 },
  ])('gives the value and gradients of relu(batchNorm(x)) from elementary ops ($shape)', ({ shape, mean, sd }) => {
    const channels = shape[3]
    const inputs = [
      tf.randomNormal(shape, mean, sd, 'float32', 1),
      tf.randomNormal([channels], 1, 0.5, 'float32', 2),
      tf.randomNormal([channels], 0, 0.5, 'float32', 3),
    ]
    const dy = tf.randomNormal(shape, 0, 1, 'float32', 4)
    const before = tf.memory().numTensors
    const actual = valueAndGradients(fused, inputs, dy)
    expect(tf.memory().numTensors).toBe(before)
    const expected = valueAndGradients(reference, inputs, dy)
    for (const [i, values] of actual.entries()) {
      const scale = Math.max(...expected[i].map(Math.abs))
      values.forEach((v, j) => expect(Math.abs(v - expected[i][j])).toBeLessThan(1e-4 * scale))
    }
    tf.dispose([...inputs, dy])
  })

  it('returns the batch mean and biased variance per channel', () => {
    const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [2, 2, 1, 2]) // channel 0: 1 3 5 7, channel 1: 10 20 30 40
    const { y, statistics } = batchNormReluTraining(x, tf.ones([2]), tf.zeros([2]), EPSILON)
    expect(Array.from(statistics.mean.dataSync())).toEqual([4, 25])
    expect(Array.from(statistics.variance.dataSync())).toEqual([5, 125])
    tf.dispose([x, y, statistics.mean, statistics.variance])
  })
})

describe('BatchNormRelu layer', () => {
  it('has the weights of tfjs BatchNormalization, with the same names, order and trainability', () => {
    const ours = new BatchNormRelu({ name: 'unit_bn', momentum: 0.9, epsilon: EPSILON })
    const stock = tf.layers.batchNormalization({ name: 'unit_bn' })
    for (const layer of [ours, stock]) layer.apply(tf.input({ shape: [null, null, 4] }))
    const describe = (layer: tf.layers.Layer) => layer.weights.map((w) => [w.originalName, w.shape, w.trainable])
    expect(describe(ours)).toEqual(describe(stock))
  })

  it('updates the running statistics by momentum in training and uses them in inference', () => {
    const layer = new BatchNormRelu({ name: 'bn', momentum: 0.9, epsilon: 0 })
    const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [2, 2, 1, 2])
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor)
    const [, , movingMean, movingVariance] = layer.getWeights()
    expect(Array.from(movingMean.dataSync()).map((v) => +v.toFixed(4))).toEqual([0.4, 2.5]) // 0.9 * 0 + 0.1 * [4, 25]
    expect(Array.from(movingVariance.dataSync()).map((v) => +v.toFixed(4))).toEqual([1.4, 13.4]) // 0.9 * 1 + 0.1 * [5, 125]
    const inference = layer.apply(x, { training: false }) as tf.Tensor
    const expected = tf.tidy(() => tf.relu(tf.div(tf.sub(x, movingMean), tf.sqrt(movingVariance))))
    const want = expected.dataSync()
    inference.dataSync().forEach((v, i) => expect(v).toBeCloseTo(want[i], 5))
    tf.dispose([x, inference, expected])
  })
})
