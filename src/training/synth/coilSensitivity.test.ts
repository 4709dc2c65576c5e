import { expect, it } from 'vitest'
import { createRandom } from '../data/random'
import { coilLogGain, sampleCoilSensitivity } from './coilSensitivity'

it("coil sensitivity: 1 at the head's centre; at the vertex mostly darker, by up to ~2x, sometimes brighter; smooth", () => {
  const coils = Array.from({ length: 400 }, (_, seed) => sampleCoilSensitivity(createRandom(seed)))
  const vertex = coils.map((c) => coilLogGain(c, 0, 0, 70)) // 70 mm above the centre
  coils.forEach((c) => expect(Math.abs(coilLogGain(c, 0, 0, 0))).toBe(0))
  vertex.forEach((g) => expect(Math.abs(g)).toBeLessThan(0.8))
  const share = (f: (g: number) => boolean) => vertex.filter(f).length / vertex.length
  expect(share((g) => g < -0.1)).toBeGreaterThan(0.5)
  expect(share((g) => g < -0.4)).toBeGreaterThan(0.1)
  expect(share((g) => g > 0.05)).toBeGreaterThan(0.02)
  // 4 mm apart on two axes (two pixels), the gain changes by at most ~7 %: a gradient, no edge
  for (const c of coils.slice(0, 50)) {
    for (const [x, y, z] of [[0, 0, 70], [60, 0, 0], [0, -70, -40]]) expect(Math.abs(coilLogGain(c, x, y, z) - coilLogGain(c, x + 4, y, z + 4))).toBeLessThan(0.08)
  }
})
