import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../training/backend/selectBackend'
import { predictSlices } from './predictSlices'

/** A 5x5 convolution with seeded random weights: its answer on a slice and on its mirror differ. */
function asymmetricModel(): tf.LayersModel {
  const model = tf.sequential()
  model.add(tf.layers.conv2d({ inputShape: [12, 10, 1], filters: 1, kernelSize: 5, padding: 'same', activation: 'sigmoid', kernelInitializer: tf.initializers.randomNormal({ seed: 7 }) }))
  return model
}

const leftRight = (t: tf.Tensor4D) => tf.reverse(t, 2)

describe('predictSlices', () => {
  let model: tf.LayersModel
  let input: tf.Tensor4D // [2, 12, 10, 1]
  beforeAll(async () => {
    await selectBackend('wasm')
    model = asymmetricModel()
    input = tf.randomNormal([2, 12, 10, 1], 0, 1, 'float32', 3)
  })
  afterAll(() => {
    model.dispose()
    input.dispose()
  })

  it('is model.predict without mirror averaging', () => {
    const [plain, direct] = [predictSlices(model, {}, input), model.predict(input) as tf.Tensor4D]
    expect(Array.from(plain.dataSync())).toEqual(Array.from(direct.dataSync()))
    tf.dispose([plain, direct])
  })

  it('with mirror averaging, averages the slice and its left-right mirror, and answers a mirrored slice with the mirrored answer', () => {
    const tensors = tf.memory().numTensors
    const averaged = predictSlices(model, { mirrorAveraging: true }, input)
    const [direct, mirroredBack] = tf.tidy(() => [model.predict(input) as tf.Tensor4D, leftRight(model.predict(leftRight(input)) as tf.Tensor4D)])
    const expected = tf.tidy(() => direct.add(mirroredBack).mul(0.5))
    const largestDifference = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(a.sub(b))).dataSync()[0])
    expect(largestDifference(direct, mirroredBack)).toBeGreaterThan(0.05) // the model is not symmetric
    expect(largestDifference(averaged, expected)).toBeLessThan(1e-6)
    const mirroredInput = leftRight(input)
    const onMirror = predictSlices(model, { mirrorAveraging: true }, mirroredInput)
    const onMirrorBack = leftRight(onMirror)
    expect(largestDifference(onMirrorBack, averaged)).toBeLessThan(1e-6) // along the width axis (RAS x), not the height (RAS y)
    tf.dispose([averaged, direct, mirroredBack, expected, mirroredInput, onMirror, onMirrorBack])
    expect(tf.memory().numTensors).toBe(tensors)
  })
})
