import { describe, expect, it } from 'vitest'
import { createRandom } from '../data/random'
import { LESION, sampleContrast, type MrContrast } from './contrast'
import { withAcquisitionLook } from './acquisitionLook'
import { LABEL } from './tissueLabels'

describe('the acquisition look of T2, DWI and ADC scans', () => {
  const draws = (name: MrContrast) => Array.from({ length: 400 }, (_, seed) => withAcquisitionLook(sampleContrast('mr', createRandom(seed), name, 0), createRandom(1000 + seed)))
  const greyOverWhite = (c: { means: Float32Array }) => c.means[LABEL.grey] / c.means[LABEL.white]

  it('sets T2 and ADC maps apart where the presets let them overlap: grey over white, scalp, resolution', () => {
    const [t2, adc] = [draws('t2'), draws('adc')]
    const t2Presets = Array.from({ length: 400 }, (_, seed) => sampleContrast('mr', createRandom(seed), 't2', 0))
    const adcPresets = Array.from({ length: 400 }, (_, seed) => sampleContrast('mr', createRandom(seed), 'adc', 0))
    expect(Math.min(...t2Presets.map(greyOverWhite))).toBeLessThan(Math.max(...adcPresets.map(greyOverWhite))) // the presets overlap
    expect(Math.min(...t2.map(greyOverWhite))).toBeGreaterThanOrEqual(1.25)
    expect(Math.max(...adc.map(greyOverWhite))).toBeLessThanOrEqual(1.2)
    expect(Math.min(...adc.map(greyOverWhite))).toBeGreaterThanOrEqual(1)
    expect(Math.min(...t2.map((c) => c.means[LABEL.soft]))).toBeGreaterThanOrEqual(0.6) // scalp fat bright
    for (const c of [...adc, ...draws('dwi')]) {
      expect(c.means[LABEL.soft]).toBeLessThanOrEqual(0.15) // fat suppressed
      expect(c.inPlaneBlurMm).toBeGreaterThanOrEqual(0.7) // echo-planar: coarse in plane
      expect(c.thicknessMm).toBeGreaterThanOrEqual(3)
      expect(c.thicknessMm).toBeLessThanOrEqual(6)
    }
    expect(Math.max(...t2.map((c) => c.inPlaneBlurMm))).toBeLessThanOrEqual(0.6)
  })

  it("keeps each lesion's polarity and level, and leaves other contrasts and the preset itself unchanged", () => {
    for (const name of ['t2', 'dwi', 'adc'] as const) {
      for (const c of draws(name).slice(0, 50)) {
        const tissue = (c.means[LABEL.grey] + c.means[LABEL.white]) / 2
        if (name === 'adc') expect(c.means[LESION]).toBeLessThan(c.means[LABEL.white])
        else expect(c.means[LESION]).toBeGreaterThan(tissue)
      }
    }
    const preset = sampleContrast('mr', createRandom(3), 't2', 0)
    const before = Float32Array.from(preset.means)
    const looked = withAcquisitionLook(preset, createRandom(4))
    expect(looked.means[LESION]).toBe(preset.means[LESION])
    expect(preset.means).toEqual(before) // a new contrast, the preset untouched
    for (const name of ['t1', 'flair'] as const) {
      const other = sampleContrast('mr', createRandom(5), name, 0)
      expect(withAcquisitionLook(other, createRandom(6))).toBe(other)
    }
  })
})
