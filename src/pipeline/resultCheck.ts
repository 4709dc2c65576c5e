/**
 * Signs that a segmentation cannot be right for this scan, checked after every run (browser and
 * `npm run segment`): a model shown a scan unlike its training data marks the air around the head, the whole
 * head, or thousands of specks on skull and scalp, and such a result must not look as calm as a plausible one.
 * Three measures, each against a limit that no real stroke reaches:
 * - the lesion volume against the head's (voxels above the normalisation's head threshold: tissue, not air);
 *   the largest ("malignant") infarcts are 300-500 mL, a third of a brain, so more than 40 % of the head is not one;
 * - the share of the mask outside the head: around the voxels above the threshold, in each slice (a dark
 *   infarct cavity or ventricle inside the head is enclosed, so it counts as head);
 * - the number of separate lesions (26-connected): strokes come as one or a few, embolic showers as tens.
 */
import { connectedComponents } from '../volume/connectedComponents'
import { outsideSilhouette } from '../volume/outsideSilhouette'
import { voxelVolumeMm3, type Volume } from '../volume/volume'
import { airValue, headThreshold, type Normalization } from './intensityNormalization'

export const RESULT_LIMITS = {
  /** Lesion volume / head volume. */
  lesionShareOfHead: 0.4,
  /** Mask voxels outside the head / mask voxels: a cortical infarct on a skull-stripped scan opens to the
   * background (13 % of the expert mask of the shared FLAIR lies there), a mask on the air around a head is all there. */
  outsideHeadShare: 0.5,
  /** Separate lesions. */
  lesions: 50,
} as const

export interface ResultCheck {
  readonly lesionMl: number
  readonly headMl: number
  /** Share of the mask's voxels outside the head's outline, where the scan shows background (0 for an empty mask). */
  readonly outsideHeadShare: number
  readonly lesions: number
  /** What looks wrong, in words for the user; empty when nothing does. */
  readonly warnings: readonly string[]
}

const percent = (share: number) => `${Math.round(100 * share)} %`

/** Measures `mask` (non-zero = lesion) against `scan` and says what cannot be right. */
export function checkResult(scan: Volume, mask: Volume, normalization: Normalization): ResultCheck {
  const headAbove = headThreshold(scan, normalization)
  const air = airValue(normalization)
  const tissue = Uint8Array.from(scan.data, (v) => ((Number.isFinite(v) ? v : air) > headAbove ? 1 : 0))
  const outside = outsideSilhouette(tissue, scan.dims)
  let head = 0
  let lesion = 0
  let lesionInAir = 0
  for (let i = 0; i < tissue.length; i++) {
    head += tissue[i]
    if (mask.data[i] > 0) {
      lesion++
      lesionInAir += outside[i]
    }
  }
  const mm3 = voxelVolumeMm3(scan.spacing)
  const lesions = lesion === 0 ? 0 : connectedComponents(mask.data, mask.dims).count
  const check = { lesionMl: (lesion * mm3) / 1000, headMl: (head * mm3) / 1000, outsideHeadShare: lesion === 0 ? 0 : lesionInAir / lesion, lesions }
  const warnings: string[] = []
  if (lesion > RESULT_LIMITS.lesionShareOfHead * head) {
    warnings.push(`the mask (${check.lesionMl.toFixed(0)} mL) is ${head > 0 ? `${percent(lesion / head)} of the head (${check.headMl.toFixed(0)} mL)` : 'larger than the head'}: no stroke is that large`)
  }
  if (lesion > 0 && check.outsideHeadShare > RESULT_LIMITS.outsideHeadShare) {
    warnings.push(`${percent(check.outsideHeadShare)} of the mask lies outside the head, where the scan shows only background`)
  }
  if (lesions > RESULT_LIMITS.lesions) warnings.push(`the mask falls apart into ${lesions} separate pieces: strokes come as one or a few lesions`)
  return { ...check, warnings }
}

/** One message for the user: what looks wrong, and what it means. Null when nothing does. */
export function resultWarning(check: ResultCheck, modelName: string): string | null {
  if (check.warnings.length === 0) return null
  return `This result cannot be right: ${check.warnings.join('; ')}. ${modelName} may not fit this scan (another contrast, modality or field of view than it was trained on): do not use this mask without checking every slice.`
}
