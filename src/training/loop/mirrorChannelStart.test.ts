import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildMultiTaskModel } from '../../model/multiTaskModel'
import { selectBackend } from '../backend/selectBackend'
import { startMirrorChannel } from './mirrorChannelStart'

describe('a mirror channel new to a network', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it("starts as a share of the scan channel's first-layer weights: a symmetric slice (no difference) gets the same answer, an asymmetric one another", () => {
    const { model } = buildMultiTaskModel({ filters: [2, 4, 4, 8, 8], aux: 'lffgm', inputChannels: 2 })
    const first = model.weights[0]
    const others = model.weights.slice(1).map((w) => Array.from(w.read().dataSync()))
    const before = tf.memory().numTensors
    const slice = tf.randomNormal([1, 64, 64, 1], 0, 1, 'float32', 3)
    const answer = (difference: number) => tf.tidy(() => (model.predict(tf.concat([slice, tf.fill([1, 64, 64, 1], difference)], 3)) as tf.Tensor[])[0].dataSync())
    startMirrorChannel(model, 0) // the widened network's start: the channel unused
    const [symmetric, darker] = [answer(0), answer(-1)]
    expect(Array.from(darker)).toEqual(Array.from(symmetric))
    startMirrorChannel(model, 0.5)
    const [scanWeights, mirrorWeights] = tf.tidy(() => tf.split(first.read(), [1, 1], 2).map((t) => Array.from(t.dataSync())))
    mirrorWeights.forEach((w, i) => expect(w).toBeCloseTo(0.5 * scanWeights[i], 6))
    expect(Array.from(answer(0))).toEqual(Array.from(symmetric))
    expect(Array.from(answer(-1))).not.toEqual(Array.from(symmetric))
    model.weights.slice(1).forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(others[i]))
    slice.dispose()
    expect(tf.memory().numTensors).toBe(before)
    model.dispose()
  })
})
