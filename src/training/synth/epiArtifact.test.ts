/** Echo-planar susceptibility artefacts on the real heads: where they land and what they change. */
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData } from '../../../testing/realData'
import { GRID_A_DIMS } from '../data/mniGrid'
import { createRandom } from '../data/random'
import type { ContrastName } from './contrast'
import { sampleEpiArtifact, skullBaseSites } from './epiArtifact'
import type { LesionShape } from './lesionBank'
import { HEAD_CENTRE_MM, sampleSyntheticScan, type AxialPlane } from './syntheticScan'
import { isBrainLabel, type TissueLabelMap } from './tissueLabels'

describeWithRealData('echo-planar artefacts', () => {
  let heads: TissueLabelMap[]
  let shapes: LesionShape[]
  beforeAll(() => {
    ;({ heads, shapes } = generatorInputs())
  }, 120_000)

  it('echo-planar artefacts when asked (DWI and ADC only, bright only on ADC): unlabelled patches at the skull base, the rest of the scan as it was', () => {
    const draw = (share: number, contrast: ContrastName) => {
      const scan = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, contrast, epiArtifactShare: share }, createRandom(4))
      Object.assign(scan.contrast, { noise: 0, gamma: 1 })
      return scan
    }
    expect(draw(1, 't2').epiArtifact).toBeNull()
    expect(sampleSyntheticScan({ mode: 'ct', heads, lesions: shapes, epiArtifactShare: 1 }, createRandom(1)).epiArtifact).toBeNull()
    const [plain, withEpi] = [draw(0, 'dwi'), draw(1, 'dwi')]
    const epi = withEpi.epiArtifact!
    const head = heads.find((h) => h.name === withEpi.head)!
    const [nx, ny] = GRID_A_DIMS
    const sites = skullBaseSites(head)
    expect(sites.length).toBeGreaterThan(10_000)
    for (const { centre, logGain } of epi.spots) {
      expect(sites).toContain(centre[0] + nx * (centre[1] + ny * centre[2]))
      expect(Math.abs(logGain)).toBeGreaterThanOrEqual(0.4)
    }
    // Every site: brain, in the lower half of the brain, with something other than brain within 6 mm.
    const zOf = (i: number) => Math.floor(i / (nx * ny))
    const brainZ = head.labels.reduce((range, l, i) => (isBrainLabel(l) ? [Math.min(range[0], zOf(i)), Math.max(range[1], zOf(i))] : range), [Infinity, -Infinity])
    expect(sites.reduce((top, i) => Math.max(top, zOf(i)), 0)).toBeLessThanOrEqual(brainZ[0] + 0.5 * (brainZ[1] - brainZ[0]))
    for (let n = 0; n < sites.length; n += 97) {
      const i = sites[n]
      expect(isBrainLabel(head.labels[i])).toBe(true)
      const [x, y, z] = [i % nx, Math.floor(i / nx) % ny, zOf(i)]
      let edge = false
      for (let dz = -6; dz <= 6 && !edge; dz++) for (let dy = -6; dy <= 6 && !edge; dy++) for (let dx = -6; dx <= 6 && !edge; dx++) edge = !isBrainLabel(head.labels[x + dx + nx * (y + dy + ny * (z + dz))])
      expect(edge).toBe(true)
    }
    const gainsOver20Seeds = (name: ContrastName) => Array.from({ length: 20 }, (_, seed) => sampleEpiArtifact(head, { ...withEpi.contrast, name }, createRandom(seed)).spots).flat().map((s) => s.logGain)
    expect(Math.min(...gainsOver20Seeds('adc'))).toBeGreaterThanOrEqual(0.5) // bright only on ADC, where an infarct is dark,
    expect(Math.min(...gainsOver20Seeds('dwi'))).toBeLessThan(0) // drop-outs too on DWI
    const lone = Array.from({ length: 20 }, (_, seed) => sampleEpiArtifact(head, withEpi.contrast, createRandom(seed))).find((e) => e.spots.length === 1)!
    const [spot] = lone.spots
    expect(lone.logGainAt(...spot.centre)).toBeCloseTo(spot.logGain, 6) // its full gain at its centre,
    expect(lone.logGainAt(spot.centre[0] + 4 * spot.sigmaMm + 1, spot.centre[1], spot.centre[2])).toBe(0) // none beyond 4 sigma
    expect(Math.abs(lone.logGainAt(spot.centre[0], spot.centre[1] + 2 * spot.sigmaMm, spot.centre[2]))).toBeGreaterThan(Math.abs(lone.logGainAt(spot.centre[0] + 2 * spot.sigmaMm, spot.centre[1], spot.centre[2]))) // longer front to back
    let changedLow = 0
    for (const [z, low] of [[HEAD_CENTRE_MM[2] - 40, true], [HEAD_CENTRE_MM[2] - 25, true], [HEAD_CENTRE_MM[2] + 70, false]] as const) {
      const wide: AxialPlane = { z, x0: -100, y0: -140, spacingMm: 2, columns: 100, rows: 124 }
      const [a, b] = [plain.renderPlane(wide, createRandom(1)), withEpi.renderPlane(wide, createRandom(1))]
      expect(Buffer.from(b.mask).equals(Buffer.from(a.mask))).toBe(true) // unlabelled
      const changed = a.image.filter((v, i) => v !== b.image[i]).length
      if (low) changedLow += changed
      else expect(changed).toBe(0) // the vertex is far from the skull base
    }
    expect(changedLow).toBeGreaterThan(20)
  })
})
