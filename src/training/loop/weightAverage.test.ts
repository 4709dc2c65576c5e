import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { createWeightAverage } from './weightAverage'

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [2] })
  const output = tf.layers.dense({ units: 1, kernelInitializer: 'zeros', biasInitializer: 'zeros' }).apply(input) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: output })
}

const values = (model: tf.LayersModel) => model.weights.map((w) => Array.from(w.read().dataSync()))

describe('createWeightAverage', () => {
  it('folds each step into the average and swaps it in only for the call', async () => {
    const model = tinyModel()
    const before = tf.memory().numTensors
    const average = createWeightAverage(model, 0.75)
    // Weights step 0 -> 4 -> 8: average 0 -> 1 -> 2.75
    for (const value of [4, 8]) {
      model.weights.forEach((w) => tf.tidy(() => void w.write(tf.fill(w.shape as number[], value))))
      average.update()
    }
    const seen = await average.withAveraged(async () => values(model))
    expect(seen).toEqual([[2.75, 2.75], [2.75]])
    expect(values(model)).toEqual([[8, 8], [8]]) // the trained weights are back
    const saved = average.named().map((n) => ({ name: n.name, tensor: tf.clone(n.tensor) }))
    average.update() // 0.75 * 2.75 + 0.25 * 8
    expect(await average.withAveraged(async () => values(model)[1][0])).toBeCloseTo(4.0625, 6)
    average.restore(saved)
    expect(await average.withAveraged(async () => values(model)[1][0])).toBeCloseTo(2.75, 6)
    tf.dispose(saved.map((s) => s.tensor))
    expect(() => average.restore(saved.slice(1))).toThrow(/does not fit/)
    average.dispose()
    expect(tf.memory().numTensors).toBe(before)
    model.dispose()
  })

  it('refuses a decay outside (0, 1)', () => {
    const model = tinyModel()
    expect(() => createWeightAverage(model, 1)).toThrow(/decay/)
    model.dispose()
  })
})
