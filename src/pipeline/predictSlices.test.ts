import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../training/backend/selectBackend'
import { predictSlices, withContrastChannels } from './predictSlices'

/** A 5x5 convolution with seeded random weights: its answer on a slice and on its mirror differ. */
function asymmetricModel(): tf.LayersModel {
  const model = tf.sequential()
  model.add(tf.layers.conv2d({ inputShape: [12, 10, 1], filters: 1, kernelSize: 5, padding: 'same', activation: 'sigmoid', kernelInitializer: tf.initializers.randomNormal({ seed: 7 }) }))
  return model
}

const leftRight = (t: tf.Tensor4D) => tf.reverse(t, 2)

const NO_CONTRAST_CHANNELS = { input: {} } as const

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
    const [plain, direct] = [predictSlices(model, NO_CONTRAST_CHANNELS, input, 'T2'), model.predict(input) as tf.Tensor4D]
    expect(Array.from(plain.dataSync())).toEqual(Array.from(direct.dataSync()))
    tf.dispose([plain, direct])
  })

  it('with mirror averaging, averages the slice and its left-right mirror, and answers a mirrored slice with the mirrored answer', () => {
    const tensors = tf.memory().numTensors
    const averaged = predictSlices(model, { ...NO_CONTRAST_CHANNELS, mirrorAveraging: true }, input, null)
    const [direct, mirroredBack] = tf.tidy(() => [model.predict(input) as tf.Tensor4D, leftRight(model.predict(leftRight(input)) as tf.Tensor4D)])
    const expected = tf.tidy(() => direct.add(mirroredBack).mul(0.5))
    const largestDifference = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(a.sub(b))).dataSync()[0])
    expect(largestDifference(direct, mirroredBack)).toBeGreaterThan(0.05) // the model is not symmetric
    expect(largestDifference(averaged, expected)).toBeLessThan(1e-6)
    const mirroredInput = leftRight(input)
    const onMirror = predictSlices(model, { ...NO_CONTRAST_CHANNELS, mirrorAveraging: true }, mirroredInput, null)
    const onMirrorBack = leftRight(onMirror)
    expect(largestDifference(onMirrorBack, averaged)).toBeLessThan(1e-6) // along the width axis (RAS x), not the height (RAS y)
    tf.dispose([averaged, direct, mirroredBack, expected, mirroredInput, onMirror, onMirrorBack])
    expect(tf.memory().numTensors).toBe(tensors)
  })

  it('tells a model with contrast channels the scan\'s contrast: one channel per listed contrast, 1 for the scan\'s, 0 for the rest and for an unlisted one', () => {
    const tensors = tf.memory().numTensors
    const channels = ['T2', 'DWI', 'ADC'] as const
    const largest = (t: tf.Tensor) => tf.tidy(() => tf.max(t).dataSync()[0])
    const smallest = (t: tf.Tensor) => tf.tidy(() => tf.min(t).dataSync()[0])
    const coded = withContrastChannels(input, channels, 'DWI') // [2, 12, 10, 4]
    expect(coded.shape).toEqual([2, 12, 10, 4])
    const [scan, t2, dwi, adc] = tf.split(coded, 4, 3)
    expect(Array.from(scan.dataSync())).toEqual(Array.from(input.dataSync()))
    expect([largest(t2), smallest(dwi), largest(dwi), largest(adc)]).toEqual([0, 1, 1, 0])
    const unlisted = withContrastChannels(input, channels, 'FLAIR')
    const unknown = withContrastChannels(input, channels, null)
    const codeSum = (t: tf.Tensor4D) => tf.tidy(() => tf.sum(tf.slice(t, [0, 0, 0, 1], [-1, -1, -1, 3])).dataSync()[0])
    expect([codeSum(unlisted), codeSum(unknown)]).toEqual([0, 0])
    expect(withContrastChannels(input, [], 'DWI')).toBe(input) // no channels: the input itself
    tf.dispose([coded, scan, t2, dwi, adc, unlisted, unknown])
    // The model of a card with contrast channels answers differently per contrast, through predictSlices.
    const told = tf.sequential()
    told.add(tf.layers.conv2d({ inputShape: [12, 10, 4], filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid', kernelInitializer: tf.initializers.randomNormal({ seed: 5 }) }))
    const card = { input: { contrastChannels: channels }, mirrorAveraging: true }
    const [asT2, asAdc] = [predictSlices(told, card, input, 'T2'), predictSlices(told, card, input, 'ADC')]
    expect(asT2.shape).toEqual([2, 12, 10, 1])
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(asT2, asAdc))).dataSync()[0])).toBeGreaterThan(0.01)
    tf.dispose([asT2, asAdc])
    told.dispose()
    expect(tf.memory().numTensors).toBe(tensors)
  })
})
