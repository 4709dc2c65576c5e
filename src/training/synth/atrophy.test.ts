/** Atrophy on the real heads: CSF widens into the parenchyma beside it, and nothing else changes. */
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData } from '../../../testing/realData'
import { GRID_A_DIMS } from '../data/mniGrid'
import { createRandom } from '../data/random'
import { depthFromCsf } from './atrophy'
import type { LesionShape } from './lesionBank'
import { HEAD_CENTRE_MM, sampleSyntheticScan, type AxialPlane } from './syntheticScan'
import { LABEL, type TissueLabelMap } from './tissueLabels'

describeWithRealData('atrophy', () => {
  let heads: TissueLabelMap[]
  let shapes: LesionShape[]
  beforeAll(() => {
    ;({ heads, shapes } = generatorInputs())
  }, 120_000)

  it('measures depth from CSF on parenchyma only: 1 mm beside CSF (all of the cortex beside the CSF around the brain), more further in', () => {
    const head = heads[0]
    const depth = depthFromCsf(head)
    const [nx, ny] = GRID_A_DIMS
    let [ones, deeper, cortexBesideOuterCsf, cortexAtOne] = [0, 0, 0, 0]
    for (let i = nx * ny; i < depth.length - nx * ny; i += 7) {
      const neighbours = [i - 1, i + 1, i - nx, i + nx, i - nx * ny, i + nx * ny].map((n) => head.labels[n])
      if (head.labels[i] === LABEL.grey && neighbours.includes(LABEL.outerCsf)) {
        cortexBesideOuterCsf++
        if (depth[i] === 1) cortexAtOne++
      }
      if (depth[i] === 0) continue
      expect([LABEL.grey, LABEL.white]).toContain(head.labels[i])
      if (depth[i] === 1) {
        expect(neighbours.some((l) => l === LABEL.csf || l === LABEL.outerCsf)).toBe(true)
        ones++
      } else deeper++
    }
    expect(cortexAtOne).toBe(cortexBesideOuterCsf)
    expect(ones).toBeGreaterThan(1000)
    expect(deeper).toBeGreaterThan(ones)
  })

  it('widens the CSF of a T2-like scan (brighter brain), keeps its brain outline and lesion mask, and changes nothing when not asked', () => {
    const draw = (share: number) => {
      const scan = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, contrast: 't2', atrophyShare: share }, createRandom(6))
      Object.assign(scan.contrast, { noise: 0, gamma: 1, inPlaneBlurMm: 0, thicknessMm: 1 }) // no blur to carry a change across the outline
      return scan
    }
    const [plain, atrophied] = [draw(0), draw(1)]
    expect(plain.atrophy).toBeNull()
    expect(atrophied.atrophy!.depthMm).toBeGreaterThanOrEqual(0.5)
    const plane: AxialPlane = { z: HEAD_CENTRE_MM[2] + 20, x0: -100, y0: -140, spacingMm: 2, columns: 100, rows: 124 }
    const [a, b] = [plain.renderPlane(plane, createRandom(1)), atrophied.renderPlane(plane, createRandom(1))]
    expect(Buffer.from(b.brain).equals(Buffer.from(a.brain))).toBe(true)
    expect(Buffer.from(b.mask).equals(Buffer.from(a.mask))).toBe(true)
    const brainMean = (image: Float32Array) => image.reduce((s, v, i) => s + (a.brain[i] ? v : 0), 0) / a.brain.reduce((n, v) => n + v, 0)
    expect(brainMean(b.image)).toBeGreaterThan(1.02 * brainMean(a.image)) // CSF is the brightest tissue on T2
    const outside = a.image.filter((v, i) => !a.brain[i] && v !== b.image[i]).length
    expect(outside).toBe(0)
  })
})
