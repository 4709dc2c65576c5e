/**
 * How T2, DWI and ADC scans are really acquired, where the contrast presets alone let a T2 scan and an ADC map look
 * alike (CSF the brightest, tissue in the middle) although their lesions have opposite polarity: a model trained on
 * both marked dark white matter on T2 scans as ADC lesions (MODELS.md, session 45).
 * - DWI and ADC are echo-planar: 1.6-2.6 mm in plane (blur sigma 0.7-1.1 mm), 3-6 mm slices, the scalp's fat
 *   suppressed (dark); on ADC maps grey matter lies within 0-20 % above white matter.
 * - T2 is mostly fast spin echo: finer in plane (blur sigma at most 0.6 mm), scalp fat bright, grey matter 25-60 %
 *   above white matter.
 * Other contrasts are returned unchanged.
 */
import type { Random } from '../data/random'
import type { ScanContrast } from './contrast'
import { LABEL } from './tissueLabels'

export function withAcquisitionLook(contrast: ScanContrast, random: Random): ScanContrast {
  const means = Float32Array.from(contrast.means)
  if (contrast.name === 'dwi' || contrast.name === 'adc') {
    means[LABEL.soft] = random.uniform(0.02, 0.15)
    if (contrast.name === 'adc') means[LABEL.grey] = means[LABEL.white] * random.uniform(1, 1.2)
    return { ...contrast, means, inPlaneBlurMm: random.uniform(0.7, 1.1), thicknessMm: random.uniform(3, 6) }
  }
  if (contrast.name === 't2') {
    means[LABEL.soft] = random.uniform(0.6, 0.9)
    means[LABEL.grey] = means[LABEL.white] * random.uniform(1.25, 1.6)
    return { ...contrast, means, inPlaneBlurMm: random.uniform(0, 0.6) }
  }
  return contrast
}
