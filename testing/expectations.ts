import { expect } from 'vitest'
import type { VoxelArray } from '../src/volume/volume'

/** Same type, length and values; fast on millions of voxels (deep equality is not). */
export function expectSameVoxels(actual: VoxelArray, expected: VoxelArray): void {
  expect(actual.constructor.name).toBe(expected.constructor.name)
  expect(actual.length).toBe(expected.length)
  let firstDifference = -1
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      firstDifference = i
      break
    }
  }
  expect(firstDifference, `voxel ${firstDifference}: ${actual[firstDifference]} vs ${expected[firstDifference]}`).toBe(-1)
}
