import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { countParameters, toInferenceModel } from './inferenceModel'
import { buildMultiTaskModel, runMultiTask } from './multiTaskModel'
import { buildUnetPlusPlus } from './unetPlusPlus'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const SMALL = { filters: [4, 8, 8, 8, 8] as const }

describe('buildUnetPlusPlus', () => {
  it('has about 9.16 M trainable parameters with the default filters [32, 64, 128, 256, 512]', () => {
    const model = buildUnetPlusPlus()
    expect(countParameters(model).trainable).toBe(9_159_072)
    expect(model.getLayer('x_0_4_2_conv')).toBeDefined()
    expect(model.getLayer('x_4_0_2_conv')).toBeDefined()
    model.dispose()
  })

  it('exposes F_whole [batch, H, W, 32] and X^{4,0} [batch, H/16, W/16, 512]', () => {
    const model = buildUnetPlusPlus()
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, null, null, 32],
      [null, null, null, 512],
    ])
    model.dispose()
  })
})

describe('multi-task model', () => {
  it.each([
    ['none', [2, 16, 48, 1], 1],
    ['simple', [1, 32, 16, 1], 2],
    ['lffgm', [2, 64, 128, 1], 2],
  ] as const)('aux %s maps %j to mask (and edge) logits of the same size', (aux, shape, heads) => {
    const trained = buildMultiTaskModel({ ...SMALL, aux })
    const before = tf.memory().numTensors
    const prediction = runMultiTask(trained, tf.randomNormal(shape as unknown as [number, number, number, number]) as tf.Tensor4D, false)
    expect(prediction.maskLogits.shape).toEqual([shape[0], shape[1], shape[2], 1])
    expect(prediction.edgeLogits?.shape ?? null).toEqual(heads === 2 ? [shape[0], shape[1], shape[2], 1] : null)
    tf.dispose([prediction.maskLogits, prediction.edgeLogits!].filter(Boolean))
    expect(tf.memory().numTensors).toBe(before + 1) // the random input
    trained.model.dispose()
  })

  it.each([
    ['lffgm', 32, 64, /32x64: H and W must be positive multiples of 64 \(UNet\+\+ with the LFFGM attached pools 6 times\)/],
    ['none', 24, 32, /24x32: H and W must be positive multiples of 16 \(UNet\+\+ pools 4 times\)/],
  ] as const)('refuses an input that does not fit (aux %s, %dx%d)', (aux, h, w, message) => {
    const trained = buildMultiTaskModel({ ...SMALL, aux })
    expect(() => runMultiTask(trained, tf.zeros([1, h, w, 1]), false)).toThrow(message)
    trained.model.dispose()
  })

  it('rejects a bad spec', () => {
    expect(() => buildMultiTaskModel({ filters: [4, 8, 8, 8] as unknown as [number, number, number, number, number] })).toThrow(/5 positive integers/)
  })
})

describe('toInferenceModel', () => {
  it('has exactly the parameters of a plain UNet++ exported the same way, whatever the auxiliary task, and leaves no tensor', () => {
    const before = tf.memory().numTensors
    const counts = (['lffgm', 'simple', 'none'] as const).map((aux) => {
      const trained = buildMultiTaskModel({ aux })
      const inference = toInferenceModel(trained)
      const count = countParameters(inference)
      trained.model.dispose()
      inference.dispose()
      return count
    })
    expect(counts[0]).toEqual(counts[2])
    expect(counts[1]).toEqual(counts[2])
    expect(counts[0].total).toBe(9_155_457)
    expect(tf.memory().numTensors).toBe(before) // the folded batch norms are copied into the model, then freed
  })

  it('gives the sigmoid of the training model mask logits (inference mode) within 1e-4 relative', () => {
    const trained = buildMultiTaskModel({ ...SMALL, aux: 'lffgm' })
    // Non-trivial batch-norm statistics, so that folding really matters.
    for (const layer of trained.model.layers.filter((l) => l.name.endsWith('_bn'))) {
      const [gamma, beta, mean, variance] = layer.getWeights()
      layer.setWeights([
        tf.randomUniform(gamma.shape, 0.5, 1.5),
        tf.randomNormal(beta.shape, 0, 0.2),
        tf.randomNormal(mean.shape, 0, 0.3),
        tf.randomUniform(variance.shape, 0.5, 2),
      ])
    }
    const inference = toInferenceModel(trained)
    const input = tf.randomNormal([2, 64, 64, 1]) as tf.Tensor4D
    const expected = tf.tidy(() => tf.sigmoid(runMultiTask(trained, input, false).maskLogits))
    const actual = inference.predict(input) as tf.Tensor
    const worst = tf.tidy(() => actual.sub(expected).abs().div(expected.abs().add(1e-6)).max().dataSync()[0])
    expect(worst).toBeLessThan(1e-4)
    tf.dispose([input, expected, actual])
    trained.model.dispose()
    inference.dispose()
  })
})
