/**
 * Lesions that show the anatomy they replace (lesionAnatomy.ts), rendered by the generator on the real heads and
 * real lesion shapes of ../shared: the same mask as a flat lesion, uneven inside it, chronic more than acute.
 */
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData } from '../../../testing/realData'
import { createRandom } from '../data/random'
import { MAX_ACUTE_OVERSHOOT, MAX_LESION_OVERSHOOT } from './lesionAnatomy'
import type { LesionShape } from './lesionBank'
import { sampleSyntheticScan, type AxialPlane } from './syntheticScan'
import { LABEL, type TissueLabelMap } from './tissueLabels'

describeWithRealData('lesions that show the anatomy they replace', () => {
  let heads: TissueLabelMap[]
  let shapes: LesionShape[]
  beforeAll(() => {
    ;({ heads, shapes } = generatorInputs())
  }, 120_000)

  /**
   * A lesion that shows the anatomy it replaces, as shares of a flat lesion's change inside the lesion (CSF-dark
   * contrasts only), rendered from the same draws as the flat lesion and as the scan without it.
   */
  function lesionAnatomyShares(contrast: 'flair' | 'dwi') {
    const draw = (share: number, lesionStrength: number) => {
      const scan = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, contrast, lesionAnatomyShare: share }, createRandom(4))
      Object.assign(scan.contrast, { noise: 0, inPlaneBlurMm: 0, thicknessMm: 1, bias: 0, gamma: 1, lesionStrength })
      return scan
    }
    const [tissue, flat, showing] = [draw(0, 0), draw(0, 1), draw(1, 1)] // the same draws; `tissue` without the lesion
    expect([flat.lesionAnatomy, showing.lesionAnatomy !== null]).toEqual([null, true])
    const { gain, means } = showing.contrast
    const csfLevel = gain * (means[LABEL.csf] + Math.min(means[LABEL.grey], means[LABEL.white])) / 2
    const share = { csf: [] as number[], parenchyma: [] as number[] }
    const plane: AxialPlane = { z: 0, x0: -100, y0: -142, spacingMm: 1, columns: 200, rows: 248 }
    for (const z of [-10, 0, 10, 20, 30]) {
      const [t, f, s] = [tissue, flat, showing].map((scan) => scan.renderPlane({ ...plane, z }, createRandom(1)))
      expect(Buffer.from(s.mask).equals(Buffer.from(f.mask))).toBe(true) // the whole outline, sulci included
      t.image.forEach((v, i) => {
        const [flatChange, change] = [f.image[i] - v, s.image[i] - v]
        expect(change * flatChange).toBeGreaterThanOrEqual(0)
        expect(Math.abs(change)).toBeLessThanOrEqual(Math.abs(flatChange) * MAX_LESION_OVERSHOOT * 1.0001 + 1e-6)
        if (f.mask[i] && Math.abs(flatChange) > 0.1 * gain) (v < csfLevel ? share.csf : share.parenchyma).push(change / flatChange)
      })
    }
    expect(share.csf.length).toBeGreaterThan(50)
    expect(share.parenchyma.length).toBeGreaterThan(500)
    return share
  }
  const centile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))]
  const median = (values: number[]) => centile(values, 0.5)

  it('lesions that show the anatomy they replace when asked (MR): the same mask, uneven, at most 1.3x the change of a flat lesion, CSF least', () => {
    expect(sampleSyntheticScan({ mode: 'ct', heads, lesions: shapes, lesionAnatomyShare: 1 }, createRandom(4)).lesionAnatomy).toBeNull()
    const share = lesionAnatomyShares('flair')
    expect(median(share.parenchyma)).toBeGreaterThan(0.3) // a lesion still
    expect(median(share.parenchyma)).toBeLessThan(0.995) // but not flat: the anatomy shows
    expect(centile(share.parenchyma, 0.9) - centile(share.parenchyma, 0.1)).toBeGreaterThan(0.2) // uneven, as real lesions are
    expect(centile(share.parenchyma, 0.95)).toBeGreaterThan(1) // in places past the lesion's mean (cavitation, dense gliosis)
    expect(median(share.csf)).toBeLessThan(median(share.parenchyma)) // the sulci inside it change least
  })

  it('acute lesions (DWI, ADC) show their anatomy less unevenly than chronic ones, and never past 1.1x a flat lesion', () => {
    const [chronic, acute] = [lesionAnatomyShares('flair'), lesionAnatomyShares('dwi')] // the same draws but for the contrast
    const spread = (values: number[]) => centile(values, 0.9) - centile(values, 0.1)
    expect(spread(acute.parenchyma)).toBeLessThan(0.8 * spread(chronic.parenchyma))
    expect(acute.parenchyma.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(MAX_ACUTE_OVERSHOOT * 1.0001)
    expect(median(acute.parenchyma)).toBeLessThan(0.995) // the anatomy still shows
  })
})
