import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildMultiTaskModel } from '../../model/multiTaskModel'
import { selectBackend } from '../backend/selectBackend'
import { createTrainer, laplacianWeightAt } from './trainStep'

describe('the Laplacian warm-up', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it('grows delta linearly from delta / steps to delta, then holds it', () => {
    expect(laplacianWeightAt(10, 300, 0)).toBeCloseTo(10 / 300)
    expect(laplacianWeightAt(10, 300, 149)).toBeCloseTo(5)
    expect(laplacianWeightAt(10, 300, 299)).toBe(10)
    expect(laplacianWeightAt(10, 300, 5000)).toBe(10)
    expect(laplacianWeightAt(10, 0, 0)).toBe(10) // no warm-up: full weight from the first step
  })

  it("weighs the step's Laplacian term by the warm-up: total = mask + edge + delta(step) x Laplacian", async () => {
    const trained = buildMultiTaskModel({ filters: [2, 2, 4, 4, 4], aux: 'lffgm' })
    const trainer = createTrainer(trained, { learningRate: 0, laplacianWarmupSteps: 100 }) // lr 0: the weights stay
    const images = tf.randomNormal([2, 64, 64, 1], 0, 1, 'float32', 3) as tf.Tensor4D
    const masks = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 4).greater(0.7).toFloat() as tf.Tensor4D
    await trainer.step(images, masks) // Adam makes its moment variables on the first step
    const before = tf.memory().numTensors
    for (const step of [0, 49, 100]) {
      const l = await trainer.step(images, masks, step)
      expect(l.total).toBeCloseTo(l.mask + l.edge! + laplacianWeightAt(10, 100, step) * l.laplacian, 4)
    }
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([images, masks])
    trainer.dispose()
    trained.model.dispose()
  })
})
