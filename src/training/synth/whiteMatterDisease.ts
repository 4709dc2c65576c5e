/**
 * White-matter disease as a distractor: the periventricular hyperintensities (FLAIR, T2) and hypodensities
 * (CT: leukoaraiosis) of small-vessel disease that most older stroke patients' scans show and that stroke
 * lesion masks leave out. Drawn unlabelled, so that a model learns that a smooth, patchy change hugging the
 * ventricles is not a stroke by itself; the pasted stroke lesions are drawn over it and stay labelled.
 *
 * Where: white matter within 8 mm of the brain's CSF and at least 10 mm below the brain's surface (the
 * periventricular band; sulcal CSF lies too close to the surface to count). How much: a smooth random field
 * over that band above a random level (from a few patches to a confluent band). How bright, per contrast: from
 * white matter towards the lesion's intensity by 30-80 % (T1, T2, FLAIR, random contrasts: the same direction
 * as a chronic lesion, weaker), 0-30 % on DWI (T2 shine-through only), towards CSF by 10-35 % on ADC (raised
 * diffusivity: the opposite of an acute lesion), 2-6 HU lower on CT by default (`ctDropHu`).
 */
import { dilate } from '../data/grid3d'
import { GRID_A_DIMS } from '../data/mniGrid'
import type { Random } from '../data/random'
import { LESION, type HuRange, type ScanContrast } from './contrast'
import { LatticeField } from './latticeField'
import { LABEL, type TissueLabelMap } from './tissueLabels'

const BAND_MM = 8
const MIN_DEPTH_MM = 10

/** CT: how far below white matter the disease is drawn, by default (HU). */
export const CT_WHITE_MATTER_DISEASE_HU: HuRange = [2, 6]

const bands = new WeakMap<TissueLabelMap, Uint8Array>()

/** 1 on the head's periventricular white matter (grid A), worked out once per head. */
export function periventricularBand(head: TissueLabelMap): Uint8Array {
  let band = bands.get(head)
  if (!band) {
    const { labels } = head
    const nearCsf = dilate(Uint8Array.from(labels, (l) => (l === LABEL.csf ? 1 : 0)), GRID_A_DIMS, BAND_MM)
    const nearSurface = dilate(Uint8Array.from(labels, (l) => (l >= LABEL.csf && l <= LABEL.white ? 0 : 1)), GRID_A_DIMS, MIN_DEPTH_MM)
    band = Uint8Array.from(labels, (l, i) => (l === LABEL.white && nearCsf[i] && !nearSurface[i] ? 1 : 0))
    bands.set(head, band)
  }
  return band
}

export interface WhiteMatterDisease {
  /** Grid-A voxel `index` at position (qx, qy, qz): the tissue value with the disease drawn in. */
  apply(value: number, index: number, qx: number, qy: number, qz: number): number
}

export function sampleWhiteMatterDisease(head: TissueLabelMap, contrast: ScanContrast, random: Random, ctDropHu: HuRange = CT_WHITE_MATTER_DISEASE_HU): WhiteMatterDisease {
  const band = periventricularBand(head)
  const field = new LatticeField(random.uniform(4, 8), random)
  const level = random.uniform(-0.3, 1.0) // field N(0, 1): from a confluent band to a few patches
  const { means, name } = contrast
  const white = means[LABEL.white]
  const ct = contrast.mode === 'ct'
  const target =
    ct ? white - random.uniform(...ctDropHu)
    : name === 'adc' ? white + random.uniform(0.1, 0.35) * (means[LABEL.csf] - white)
    : white + (name === 'dwi' ? random.uniform(0, 0.3) : random.uniform(0.3, 0.8)) * (means[LESION] - white)
  return {
    apply(value, index, qx, qy, qz) {
      if (!band[index]) return value
      const soft = Math.min(1, Math.max(0, (field.at(qx, qy, qz) - level) / 0.4))
      if (soft === 0) return value
      // MR means are scaled by a texture factor per voxel; the target keeps the voxel's own texture.
      return ct ? value + soft * (target - white) : value + soft * (value * (target / white) - value)
    },
  }
}
