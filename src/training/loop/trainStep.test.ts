import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildMultiTaskModel } from '../../model/multiTaskModel'
import { selectBackend } from '../backend/selectBackend'
import { createTrainer, laplacianWeightAt, learningRateAt } from './trainStep'

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

describe('the learning-rate decay', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it('falls from the base rate to 0 along a half cosine, then stays at 0; no decay keeps the base rate', () => {
    expect(learningRateAt(1e-4, 3600, 0)).toBe(1e-4)
    expect(learningRateAt(1e-4, 3600, 1800)).toBeCloseTo(5e-5, 12)
    expect(learningRateAt(1e-4, 3600, 900)).toBeCloseTo(1e-4 * (1 + Math.SQRT1_2) / 2, 12)
    expect(learningRateAt(1e-4, 3600, 3600)).toBeCloseTo(0, 15)
    expect(learningRateAt(1e-4, 3600, 9999)).toBeCloseTo(0, 15)
    expect(learningRateAt(1e-4, 0, 9999)).toBe(1e-4)
  })

  it("steps the tfjs optimizer at the step's rate: full at the start, none once the decay has ended", async () => {
    const trained = buildMultiTaskModel({ filters: [2, 2, 4, 4, 4], aux: 'lffgm' })
    const trainer = createTrainer(trained, { learningRate: 1e-2, learningRateDecaySteps: 10 })
    const images = tf.randomNormal([2, 64, 64, 1], 0, 1, 'float32', 5) as tf.Tensor4D
    const masks = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 6).greater(0.7).toFloat() as tf.Tensor4D
    const change = async (step: number) => {
      const before = trained.model.trainableWeights.map((w) => tf.clone(w.read()))
      await trainer.step(images, masks, step)
      const moved = tf.tidy(() => Math.max(...trained.model.trainableWeights.map((w, i) => w.read().sub(before[i]).abs().max().dataSync()[0])))
      tf.dispose(before)
      return moved
    }
    expect(await change(0)).toBeGreaterThan(5e-3) // Adam's first step moves weights by ~lr
    expect(await change(10)).toBe(0)
    tf.dispose([images, masks])
    trainer.dispose()
    trained.model.dispose()
  })
})
