import { expect, it } from 'vitest'
import { createRandom } from '../data/random'
import { lesionDepthField, sampleChronicInfarct } from './chronicInfarct'
import { lesionFractionAt, type LesionShape } from './lesionBank'

/** A 9 mm cube of lesion in an 11 mm box (a margin of one empty voxel). */
function cube(): LesionShape {
  const voxels = new Uint8Array(11 ** 3)
  for (let z = 1; z < 10; z++) for (let y = 1; y < 10; y++) for (let x = 1; x < 10; x++) voxels[x + 11 * (y + 11 * z)] = 1
  return { file: 'cube', origin: [0, 0, 0], size: [11, 11, 11], voxels, count: 729 }
}

it('depth inside a lesion: 1 on its surface, one more per millimetre inwards, 0 outside', () => {
  const shape = cube()
  const depth = lesionDepthField(shape)
  const at = (x: number, y: number, z: number) => depth[x + 11 * (y + 11 * z)]
  expect(at(0, 5, 5)).toBe(0)
  expect([1, 2, 3, 4, 5].map((x) => at(x, 5, 5))).toEqual([1, 2, 3, 4, 5])
  expect(at(9, 9, 9)).toBe(1) // a corner
  expect(at(2, 2, 5)).toBe(2) // the nearest face counts
  expect(lesionDepthField(shape)).toBe(depth) // worked out once per shape
  expect(lesionFractionAt(shape, 1.5, 5, 5, depth)).toBeCloseTo(1.5) // interpolated between voxels
})

it('a chronic infarct: its rim keeps the lesion intensity (at least 1.3 x grey matter), deeper than the rim it turns to the cavity', () => {
  const infarct = sampleChronicInfarct(createRandom(4))
  expect(infarct.rimMm).toBeGreaterThanOrEqual(1.5)
  expect(infarct.rimMm).toBeLessThanOrEqual(4.5)
  expect(infarct.valueAt(infarct.rimMm - 0.1, 0.8, 0.5, 0.1)).toBe(0.8)
  expect(infarct.valueAt(infarct.rimMm - 0.1, 0.6, 0.5, 0.1)).toBeCloseTo(0.65) // raised above grey matter
  expect(infarct.valueAt(infarct.rimMm + 0.5, 0.8, 0.5, 0.1)).toBeCloseTo(0.45)
  expect(infarct.valueAt(infarct.rimMm + 1, 0.8, 0.5, 0.1)).toBeCloseTo(0.1)
})
