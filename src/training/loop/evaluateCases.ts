/**
 * Scores a segmentation model on cases with reference masks, through segmentScan (the app's pipeline, with the
 * brain model when the card names one and it was loaded):
 * per-volume and per-slice Dice/IoU with TP/FP/FN, and lesion-wise detection (a reference lesion, one
 * 26-connected component, counts as detected when any predicted voxel touches it; a predicted lesion that
 * touches none is a false-positive lesion).
 */
import * as tf from '@tensorflow/tfjs'
import type { SegmentationModel } from '../../pipeline/loadSegmentationModel'
import { planRun } from '../../pipeline/runPlan'
import type { NamedContrast } from '../../pipeline/scanContrast'
import { segmentScan } from '../../pipeline/segmentScan'
import { aggregateScores, sliceScores, volumeScores, type AggregateScores, type CaseScores } from '../../model/metrics/segmentationMetrics'
import { connectedComponents } from '../../volume/connectedComponents'
import { lesionVolumeMl } from '../../volume/lesionReport'
import { binaryMaskFrom, countNonZero } from '../../volume/volume'
import type { LoadedCase } from '../data/datasetLayout'
import type { ReferenceLesion } from './detectionBySize'

export interface CaseEvaluation extends CaseScores {
  readonly id: string
  /** The contrast the model was told (LoadedCase.contrast; null: none), for a model with contrast channels. */
  readonly contrast: NamedContrast | null
  readonly lesions: number
  readonly lesionsDetected: number
  /** Predicted lesions (26-connected) that touch no reference lesion. */
  readonly falsePositiveLesions: number
  readonly predictedMl: number
  readonly referenceMl: number
  /** Each reference lesion's volume (mL, to 0.001) and whether the prediction touched it, in the order found. */
  readonly referenceLesions: readonly ReferenceLesion[]
}

export interface Evaluation {
  readonly perVolume: AggregateScores
  readonly perSlice: AggregateScores
  readonly lesionDetection: { readonly lesions: number; readonly detected: number }
  readonly cases: readonly CaseEvaluation[]
}

export async function evaluateCases(cases: readonly LoadedCase[], segmentation: SegmentationModel): Promise<Evaluation> {
  return scoreMasks(cases, await segmentCases(cases, segmentation))
}

/** The masks segmentScan makes of the cases' scans. */
export async function segmentCases(cases: readonly LoadedCase[], segmentation: SegmentationModel): Promise<Uint8Array[]> {
  const masks: Uint8Array[] = []
  for (const c of cases) masks.push((await segmentScan(c.image, segmentation, planRun(c.image, tf.getBackend()), { contrast: c.contrast })).mask.data as Uint8Array)
  return masks
}

/** Scores predicted masks (one per case, on its grid) against the cases' reference masks. */
export function scoreMasks(cases: readonly LoadedCase[], masks: readonly Uint8Array[]): Evaluation {
  const results: CaseEvaluation[] = []
  const slices: CaseScores[] = []
  cases.forEach((c, n) => {
    const mask = masks[n]
    const reference = binaryMaskFrom(c.mask).data
    const { labels, count, sizes } = connectedComponents(reference, c.image.dims)
    const detected = new Set<number>()
    for (let i = 0; i < labels.length; i++) if (labels[i] > 0 && mask[i]) detected.add(labels[i])
    const predicted = connectedComponents(mask, c.image.dims)
    const touching = new Set<number>()
    for (let i = 0; i < predicted.labels.length; i++) if (predicted.labels[i] > 0 && reference[i]) touching.add(predicted.labels[i])
    results.push({
      id: c.id,
      contrast: c.contrast ?? null,
      ...volumeScores(mask, reference),
      lesions: count,
      lesionsDetected: detected.size,
      falsePositiveLesions: predicted.count - touching.size,
      predictedMl: lesionVolumeMl(countNonZero(mask), c.image.spacing),
      referenceMl: lesionVolumeMl(countNonZero(reference), c.image.spacing),
      referenceLesions: sizes.slice(1).map((voxels, n) => ({ ml: Math.round(lesionVolumeMl(voxels, c.image.spacing) * 1000) / 1000, found: detected.has(n + 1) })),
    })
    slices.push(...sliceScores(mask, reference, c.image.dims[0] * c.image.dims[1]))
  })
  return {
    perVolume: aggregateScores(results),
    perSlice: aggregateScores(slices),
    lesionDetection: { lesions: results.reduce((a, r) => a + r.lesions, 0), detected: results.reduce((a, r) => a + r.lesionsDetected, 0) },
    cases: results,
  }
}
