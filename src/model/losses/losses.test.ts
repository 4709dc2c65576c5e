import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { laplacianConsistencyLoss } from './laplacianConsistencyLoss'
import { multiTaskLoss, multiTaskLossTerms } from './multiTaskLoss'
import { binaryCrossEntropy, diceLoss, segmentLoss } from './segmentLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// shape: [1, 2, 2, 1]
const t2 = (v: number[]) => tf.tensor4d(v, [1, 2, 2, 1])
// shape: [1, 4, 4, 1]
const t4 = (v: number[]) => tf.tensor4d(v, [1, 4, 4, 1])
const CENTER_SQUARE = [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]
const value = (s: tf.Scalar) => s.dataSync()[0]

describe('losses on hand-computed cases', () => {
  it.each([
    // p, y, expected: 1 - (2*I + 1) / (|p| + |y| + 1)
    ['2x2', t2([0.5, 1, 0, 0.25]), t2([1, 1, 0, 0]), 1 - 4 / 4.75],
    ['4x4', t4(CENTER_SQUARE.map((v) => v * 0.5)), t4(CENTER_SQUARE), 2 / 7],
    ['both empty', t2([0, 0, 0, 0]), t2([0, 0, 0, 0]), 0],
  ])('diceLoss %s', (_, p, y, expected) => {
    expect(value(diceLoss(p, y))).toBeCloseTo(expected, 6)
  })

  it('binaryCrossEntropy from logits, 2x2', () => {
    // per pixel: ln 2; 2 + ln(1 + e^-2); ln(1 + e^-1); ln(1 + e^-3)
    const expected = (Math.LN2 + 2 + Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(-3))) / 4
    expect(value(binaryCrossEntropy(t2([0, 2, -1, 3]), t2([1, 0, 0, 1])))).toBeCloseTo(expected, 6)
  })

  it('binaryCrossEntropy stays finite for huge logits', () => {
    expect(value(binaryCrossEntropy(t2([500, -500, 500, -500]), t2([0, 1, 1, 0])))).toBeCloseTo(500 / 2, 3)
  })

  it('segmentLoss = dice(sigmoid) + bce with alpha = beta = 1, and rejects negative weights', () => {
    const logits = t2([0, 2, -1, 3])
    const y = t2([1, 0, 0, 1])
    const expected = value(diceLoss(tf.sigmoid(logits) as tf.Tensor4D, y)) + value(binaryCrossEntropy(logits, y))
    expect(value(segmentLoss(logits, y))).toBeCloseTo(expected, 6)
    expect(value(segmentLoss(logits, y, { dice: 2, bce: 0 }))).toBeCloseTo(2 * value(diceLoss(tf.sigmoid(logits) as tf.Tensor4D, y)), 6)
    expect(() => segmentLoss(logits, y, { dice: -1, bce: 1 })).toThrow(/'dice' must be a finite number >= 0/)
  })

  it.each([
    // single 1 in a corner, zero padding: |Lap| = 4, 1, 1, 0
    ['2x2', t2([1, 0, 0, 0]), t2([0, 0, 0, 0]), 6 / 4],
    // 2x2 square in a 4x4: four pixels at |-2|, eight neighbours at 1, corners 0
    ['4x4', t4(CENTER_SQUARE), t4(new Array(16).fill(0)), 16 / 16],
    ['equal maps', t4(CENTER_SQUARE), t4(CENTER_SQUARE), 0],
  ])('laplacianConsistencyLoss %s', (_, p, y, expected) => {
    expect(value(laplacianConsistencyLoss(p, y))).toBeCloseTo(expected, 6)
  })

  it('multiTaskLoss = 1 mask + 1 edge + 10 laplacian, and drops the edge term without an edge head', () => {
    const maskLogits = t2([0, 2, -1, 3])
    const edgeLogits = t2([1, -1, 0, 0])
    const mask = t2([1, 0, 0, 1])
    const edge = t2([0, 1, 1, 0])
    const terms = multiTaskLossTerms({ maskLogits, edgeLogits }, { mask, edge })
    const expected = value(segmentLoss(maskLogits, mask)) + value(segmentLoss(edgeLogits, edge)) + 10 * value(laplacianConsistencyLoss(tf.sigmoid(maskLogits) as tf.Tensor4D, mask))
    expect(value(terms.total)).toBeCloseTo(expected, 5)
    const noEdge = value(multiTaskLoss({ maskLogits }, { mask, edge }))
    expect(noEdge).toBeCloseTo(expected - value(segmentLoss(edgeLogits, edge)), 5)
    expect(() => multiTaskLoss({ maskLogits }, { mask, edge }, { laplacian: -10 })).toThrow(/'laplacian' must be/)
  })

  it('disposes its intermediates', () => {
    const [maskLogits, mask] = [t4(CENTER_SQUARE.map((v) => v * 3 - 1)), t4(CENTER_SQUARE)]
    const before = tf.memory().numTensors
    const loss = multiTaskLoss({ maskLogits, edgeLogits: maskLogits }, { mask, edge: mask })
    expect(tf.memory().numTensors).toBe(before + 1)
    loss.dispose()
  })
})

describe('gradients match finite differences', () => {
  const logits = tf.tensor4d([0.3, -1.2, 2.1, -0.4, 0.9, -2.0, 0.1, 1.5, -0.7, 0.2, 1.1, -1.6, 0.5, -0.3, 0.8, -0.9], [1, 4, 4, 1])
  const target = t4([1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0])
  const edge = t4([0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1])
  const cases: [string, (x: tf.Tensor4D) => tf.Scalar][] = [
    ['diceLoss', (x) => diceLoss(tf.sigmoid(x) as tf.Tensor4D, target)],
    ['binaryCrossEntropy', (x) => binaryCrossEntropy(x, target)],
    ['laplacianConsistencyLoss', (x) => laplacianConsistencyLoss(tf.sigmoid(x) as tf.Tensor4D, target)],
    ['multiTaskLoss', (x) => multiTaskLoss({ maskLogits: x, edgeLogits: x.mul(-1) as tf.Tensor4D }, { mask: target, edge })],
  ]
  it.each(cases)('%s', (_, loss) => {
    const analytic = tf.grad((x: tf.Tensor) => loss(x as tf.Tensor4D))(logits).dataSync()
    const base = logits.dataSync()
    const h = 1e-2
    for (let i = 0; i < base.length; i++) {
      const plus = base.slice()
      const minus = base.slice()
      plus[i] += h
      minus[i] -= h
      const numeric = (value(loss(tf.tensor4d(plus, [1, 4, 4, 1]))) - value(loss(tf.tensor4d(minus, [1, 4, 4, 1])))) / (2 * h)
      expect(Math.abs(analytic[i] - numeric), `d/dx[${i}]: ${analytic[i]} vs ${numeric}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric))
    }
  })
})
