/**
 * segmentScan: a scan through the lesion model and, when its card asks (`brainMask`), the brain model first.
 * Strokes lie in the brain: the brain model (skull stripping, trained on the same synthetic heads) outlines it,
 * the outline is grown by the card's `dilationMm` (a cortical lesion the outline grazes stays), and a lesion with
 * less than `minShareInside` of its voxels inside is dropped (the face, the skull base, scalp and air, where
 * lesion models mark bright fat and flow). An outline under MIN_BRAIN_ML is the brain model failing on this scan,
 * not a brain: then nothing is dropped, and the user is told.
 */
import type { LesionRegion } from '../volume/connectedComponents'
import { dilateMask } from '../volume/dilateMask'
import { countNonZero, voxelVolumeMm3, type Volume } from '../volume/volume'
import type { SegmentationModel } from './loadSegmentationModel'
import type { RunPlan } from './runPlan'
import { segmentVolume, type SegmentationResult, type SegmentOptions } from './segmentVolume'

/** Smaller outlines are not a brain (an adult brain is 1,000-1,600 mL; a scan may cover part of it). */
export const MIN_BRAIN_ML = 300

/** What the brain step did. */
export type BrainStep =
  | { readonly kind: 'not-asked' }
  /** The card names a brain model that was not loaded with it (a model picked as files). */
  | { readonly kind: 'no-model' }
  | { readonly kind: 'implausible'; readonly brainMl: number }
  | { readonly kind: 'applied'; readonly brainMl: number; readonly lesionsDropped: number }

export interface ScanSegmentation extends SegmentationResult {
  readonly brain: BrainStep
}

/** Runs `plan` with the brain model (if asked) and then the lesion model; `options` as segmentVolume's (progress: the lesion model's). */
export async function segmentScan(volume: Volume, loaded: SegmentationModel, plan: RunPlan, options: SegmentOptions = {}): Promise<ScanSegmentation> {
  const { region, step } = await brainRegion(volume, loaded, plan, options)
  const result = await segmentVolume(volume, loaded.model, loaded.card, plan, { ...options, region })
  return { ...result, brain: step.kind === 'applied' ? { ...step, lesionsDropped: result.lesionsOutsideRegion } : step }
}

/** The grown brain outline lesions must lie in (source voxel order), or none, and what the step did. */
export async function brainRegion(volume: Volume, { card, brain }: SegmentationModel, plan: RunPlan, { signal, minHeadFraction }: SegmentOptions = {}): Promise<{ region?: LesionRegion; step: BrainStep }> {
  if (!card.brainMask) return { step: { kind: 'not-asked' } }
  if (!brain) return { step: { kind: 'no-model' } }
  const { mask } = await segmentVolume(volume, brain.model, brain.card, plan, { signal, minHeadFraction })
  const brainMl = (countNonZero(mask.data) * voxelVolumeMm3(volume.spacing)) / 1000
  if (brainMl < MIN_BRAIN_ML) return { step: { kind: 'implausible', brainMl } }
  const grown = dilateMask(mask.data, volume.dims, volume.spacing, card.brainMask.dilationMm)
  return { region: { mask: grown, minShare: card.brainMask.minShareInside }, step: { kind: 'applied', brainMl, lesionsDropped: 0 } }
}

/** What the user reads about the brain step (a phrase, as the worker's other notices), or null when there is nothing to say. */
export function brainStepNotice(step: BrainStep): string | null {
  if (step.kind === 'no-model') return 'This model asks for a brain model that was not loaded with it, so marks were not checked against the brain'
  if (step.kind === 'implausible') return `The brain could not be outlined on this scan (${step.brainMl.toFixed(0)} mL found), so marks were not checked against the brain`
  if (step.kind === 'applied' && step.lesionsDropped > 0) return `${step.lesionsDropped} mark${step.lesionsDropped === 1 ? '' : 's'} lying mostly outside the brain (${step.brainMl.toFixed(0)} mL outlined) dropped`
  return null
}
