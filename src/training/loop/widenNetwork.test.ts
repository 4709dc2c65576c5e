import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildMultiTaskModel, runMultiTask, type MultiTaskModel } from '../../model/multiTaskModel'
import { widenWeights } from './widenNetwork'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Random weights everywhere, batch-norm statistics included, so that no old channel is trivially zero. */
function randomise(trained: MultiTaskModel, seed: number): void {
  trained.model.weights.forEach((w, i) => {
    const { shape } = w.read()
    const isVariance = w.originalName.endsWith('moving_variance')
    const value = isVariance ? tf.randomUniform(shape, 0.5, 2, 'float32', seed + i) : tf.randomNormal(shape, 0, 0.3, 'float32', seed + i)
    w.write(value)
    value.dispose()
  })
}

function predict(trained: MultiTaskModel, slices: tf.Tensor4D, training: boolean): [Float32Array, Float32Array] {
  const { maskLogits, edgeLogits } = runMultiTask(trained, slices, training)
  const values: [Float32Array, Float32Array] = [maskLogits.dataSync() as Float32Array, edgeLogits!.dataSync() as Float32Array]
  tf.dispose([maskLogits, edgeLogits!])
  return values
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)
}

describe('widenWeights', () => {
  it('gives a wider UNet++ with the LFFGM the narrow one\'s mask and edge outputs, in inference and training mode', () => {
    const narrow = buildMultiTaskModel({ filters: [2, 4, 4, 6, 8], aux: 'lffgm', lffgmChannels: 4 })
    const wide = buildMultiTaskModel({ filters: [3, 4, 7, 6, 12], aux: 'lffgm', lffgmChannels: 4 })
    randomise(narrow, 1)
    const slices = tf.randomNormal([2, 64, 64, 1], 0, 1, 'float32', 7) as tf.Tensor4D
    const before = tf.memory().numTensors
    const narrowWeights = narrow.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }))
    const widened = widenWeights(narrow.model, narrowWeights, wide.model)
    wide.model.weights.forEach((w, i) => w.write(widened[i]))
    tf.dispose(widened)
    expect(tf.memory().numTensors).toBe(before)

    for (const training of [false, true]) {
      const [narrowMask, narrowEdge] = predict(narrow, slices, training)
      const [wideMask, wideEdge] = predict(wide, slices, training)
      expect(maxDifference(narrowMask, wideMask)).toBeLessThan(1e-4)
      expect(maxDifference(narrowEdge, wideEdge)).toBeLessThan(1e-4)
      expect(Math.max(...narrowMask.map(Math.abs))).toBeGreaterThan(0.1)
    }
    // The new channels are not dead: fresh weights from every input, zero only into the old channels.
    const kernel = wide.model.getLayer('x_2_1_1_conv').getWeights()[0] // the variable's own tensor; [3, 3, 7 + 7 + 6, 7]: inputs X^{2,0}, up(X^{3,0})
    const [, , inputs, outputs] = kernel.shape
    const values = kernel.arraySync() as number[][][][]
    const newOutputColumn = values.flatMap((row) => row.flatMap((cell) => cell.map((perInput) => perInput[outputs - 1])))
    expect(newOutputColumn.filter((v) => v !== 0)).toHaveLength(9 * inputs)
    const newInputIntoOldOutput = values.flatMap((row) => row.map((cell) => cell[4][0])) // input 4 = X^{2,0}'s first new channel
    expect(newInputIntoOldOutput).toEqual(new Array(9).fill(0))
    slices.dispose()
    narrow.model.dispose()
    wide.model.dispose()
  })

  it('adds input channels (the contrast channels) without changing the outputs until training moves their zero weights', () => {
    const plain = buildMultiTaskModel({ filters: [2, 4, 4, 6, 8], aux: 'lffgm', lffgmChannels: 4 })
    const told = buildMultiTaskModel({ filters: [3, 4, 4, 6, 8], aux: 'lffgm', lffgmChannels: 4, inputChannels: 3 })
    randomise(plain, 2)
    const scan = tf.randomNormal([2, 64, 64, 1], 0, 1, 'float32', 8) as tf.Tensor4D
    const withChannels = tf.concat([scan, tf.ones([2, 64, 64, 1]), tf.zeros([2, 64, 64, 1])], 3) as tf.Tensor4D // [2, 64, 64, 3]
    const widened = widenWeights(plain.model, plain.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })), told.model)
    told.model.weights.forEach((w, i) => w.write(widened[i]))
    tf.dispose(widened)
    for (const training of [false, true]) {
      const [plainMask, plainEdge] = predict(plain, scan, training)
      const [toldMask, toldEdge] = predict(told, withChannels, training)
      expect(maxDifference(plainMask, toldMask)).toBeLessThan(1e-4)
      expect(maxDifference(plainEdge, toldEdge)).toBeLessThan(1e-4)
    }
    const kernel = told.model.getLayer('x_0_0_1_conv').getWeights()[0] // [3, 3, 1 + 2, 3]
    expect(kernel.shape).toEqual([3, 3, 3, 3])
    const values = kernel.arraySync() as number[][][][]
    expect(values.flatMap((row) => row.flatMap((cell) => [cell[1][0], cell[2][1]]))).toEqual(new Array(18).fill(0)) // contrast channels into old filters
    tf.dispose([scan, withChannels])
    plain.model.dispose()
    told.model.dispose()
  })

  it('names the weight a narrower network lacks', () => {
    const narrow = buildMultiTaskModel({ filters: [2, 4, 4, 4, 4], aux: 'none' })
    const wide = buildMultiTaskModel({ filters: [2, 4, 4, 4, 4], aux: 'lffgm', lffgmChannels: 4 })
    const narrowWeights = narrow.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }))
    expect(() => widenWeights(narrow.model, narrowWeights, wide.model)).toThrow(/the narrow network has no weight lffgm_down_1_conv\/kernel/)
    narrow.model.dispose()
    wide.model.dispose()
  })
})
