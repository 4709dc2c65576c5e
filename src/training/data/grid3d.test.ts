import { expect, it } from 'vitest'
import type { Vec3 } from '../../volume/affine'
import { dilate, gridIndex, morphologyStep } from './grid3d'

const dims: Vec3 = [5, 5, 5]
const count = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0)

it('dilates by 6-neighbour steps and erodes back, the grid edge counting as outside', () => {
  const point = new Uint8Array(125)
  point[gridIndex(dims, 2, 2, 2)] = 1
  const cross = dilate(point, dims, 1)
  expect(count(cross)).toBe(7) // the voxel and its six faces
  expect(cross[gridIndex(dims, 3, 3, 2)]).toBe(0) // no diagonals
  expect(count(dilate(point, dims, 2))).toBe(25) // an octahedron of radius 2
  expect(morphologyStep(cross, dims, 'erode')).toEqual(point)
  const full = new Uint8Array(125).fill(1)
  const eroded = morphologyStep(full, dims, 'erode')
  expect(count(eroded)).toBe(27) // only the 3 x 3 x 3 core keeps all six neighbours inside the grid
  expect(eroded[gridIndex(dims, 0, 2, 2)]).toBe(0)
})
