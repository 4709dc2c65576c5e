import * as tf from '@tensorflow/tfjs'
import { beforeAll, expect, it } from 'vitest'
import { edgeLabels } from './edgeLabels'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function square(size: number, from: number, to: number): tf.Tensor4D {
  const v = new Float32Array(size * size)
  for (let r = from; r <= to; r++) for (let c = from; c <= to; c++) v[r * size + c] = 1
  return tf.tensor4d(v, [1, size, size, 1]) // shape: [1, size, size, 1]
}

it('the edge band of a 3x3 square in a 7x7 image (width 2): the 5x5 ring minus the centre', () => {
  const edge = edgeLabels(square(7, 2, 4)).reshape([7, 7]).arraySync() as number[][]
  // prettier-ignore
  expect(edge).toEqual([
    [0, 0, 0, 0, 0, 0, 0],
    [0, 1, 1, 1, 1, 1, 0],
    [0, 1, 1, 1, 1, 1, 0],
    [0, 1, 1, 0, 1, 1, 0],
    [0, 1, 1, 1, 1, 1, 0],
    [0, 1, 1, 1, 1, 1, 0],
    [0, 0, 0, 0, 0, 0, 0],
  ])
})

it('width 1 keeps the outer ring only; width 3 reaches two pixels out and one in', () => {
  const ring = edgeLabels(square(7, 2, 4), 1).sum().dataSync()[0]
  expect(ring).toBe(25 - 9)
  const wide = edgeLabels(square(9, 2, 6), 3).reshape([9, 9]).arraySync() as number[][]
  expect(wide[3][3]).toBe(0) // the inner 3x3 of a 5x5 square survives an erosion of radius 1
  expect(wide[2][2]).toBe(1) // the square's own outer ring is eroded away: edge
  expect(wide[1][1]).toBe(1) // dilation of radius 2 reaches two pixels out
  expect(wide[0][0]).toBe(1)
})

it('an empty mask has no edge, and a bad width is refused', () => {
  expect(edgeLabels(tf.zeros([1, 5, 5, 1])).sum().dataSync()[0]).toBe(0)
  expect(() => edgeLabels(tf.zeros([1, 5, 5, 1]), 0)).toThrow(/edge width must be an integer >= 1/)
})
