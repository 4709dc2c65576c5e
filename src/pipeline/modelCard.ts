/**
 * model-card.json: what a segmentation model is, what it was trained on and how well it did, next to its
 * model.json. The segmentation pipeline reads its input conventions from here (plane, orientation,
 * spacing, normalisation, threshold), and the app shows its provenance and scores.
 */
import type { Normalization } from './intensityNormalization'
import { NAMED_CONTRASTS, type NamedContrast, type RecognisedContrast } from './scanContrast'

export const MODEL_CARD_FORMAT = 'strokeseg-model-card/1'

export interface CardScores {
  readonly dice: number
  readonly iou: number
  /** Cases the means are over (cases where both masks are empty are counted apart). */
  readonly cases: number
  readonly bothEmpty?: number
}

export interface ModelCard {
  readonly format: typeof MODEL_CARD_FORMAT
  readonly name: string
  readonly modality: 'CT' | 'MR'
  /** e.g. 'T1' for MR models; free text. */
  readonly contrast: string
  readonly architecture: {
    readonly name: 'UNet++'
    readonly filters: readonly number[]
    /** 1 (the scan), plus 1 with `input.mirrorChannel`, plus one per entry of `input.contrastChannels`. */
    readonly inputChannels: number
    /** The auxiliary edge task used in training (dropped from this inference model). */
    readonly trainingAux: 'lffgm' | 'simple' | 'none'
    readonly parameters: number
  }
  readonly input: {
    readonly plane: 'axial'
    readonly orientation: 'RAS'
    /** In-plane pixel spacing the model was trained at (mm); slices are resampled to it. */
    readonly spacingMm: number
    /** Slice height and width must be multiples of this (UNet++ pools 4 times). */
    readonly sizeMultiple: number
    readonly trainingSize: number
    /**
     * Slices smaller than the training crops (trainingSize pixels at spacingMm) are padded with air, evenly, up to
     * them. For a model trained on whole-head frames (the brain model: 64 pixels of 4 mm): a scan cropped tight to
     * the brain (a skull-stripped export) then looks as its training slices did, not like a head touching the
     * edge of the image. Absent: padding up to the size multiple only.
     */
    readonly padToTrainingSize?: boolean
    /**
     * The model is told the scan's MR contrast (read from its files: scanContrast.ts): after the scan's channel
     * comes one channel per contrast listed here, 1 over the whole slice for the scan's contrast and 0 for the
     * others; a contrast not listed, or not named in the files, gives 0 in all (predictSlices.ts). Absent: the
     * model sees the scan alone.
     */
    readonly contrastChannels?: readonly NamedContrast[]
    /**
     * After the scan's channel comes the scan minus its reflection about the head's midline, which segmentation
     * finds from the scan's symmetry (midline.ts); contrast channels, if any, follow it. Absent: no mirror channel.
     */
    readonly mirrorChannel?: boolean
  }
  readonly normalization: Normalization
  /** Probability at or above which a voxel is lesion. */
  readonly threshold: number
  /**
   * Hysteresis: a predicted lesion (26-connected voxels at or above `threshold`) is kept only when one of its
   * voxels reaches this probability (tune-threshold). Absent: every lesion is kept.
   */
  readonly seedThreshold?: number
  /**
   * Predicted lesions (26-connected) smaller than this (mL) are dropped from the mask: specks that validation
   * showed to be false positives far more often than strokes (tune-threshold). Absent: none dropped.
   */
  readonly minLesionMl?: number
  /**
   * Test-time mirror averaging: each slice's probabilities are the mean of the model's on the slice and on its
   * left-right mirror (predictSlices.ts; twice the model's work). Absent: the slice alone.
   */
  readonly mirrorAveraging?: boolean
  /**
   * Lesions must lie in the brain: a brain model (skull stripping, `model`: its folder beside this one's, e.g.
   * '../brain') outlines the brain, and a lesion with less than `minShareInside` of its voxels inside that outline
   * grown by `dilationMm` is dropped (segmentScan.ts). Absent: lesions are kept wherever they lie.
   */
  readonly brainMask?: {
    readonly model: string
    readonly dilationMm: number
    readonly minShareInside: number
  }
  readonly training: {
    readonly dataKind: string
    readonly dataDescription: string
    /** 'synthetic' (procedural), 'semi-synthetic' (real anatomy, real lesion shapes, rendered lesions) or 'real'. */
    readonly dataOrigin: 'synthetic' | 'semi-synthetic' | 'real'
    readonly subjects: { readonly train: number; readonly validation: number; readonly test: number }
    readonly [key: string]: unknown
  }
  readonly metrics: {
    readonly validation: CardScores | null
    readonly test: CardScores | null
    /** Scores on real scans (npm run evaluate:real --card), absent when never measured. */
    readonly realScans?: RealScanScores
    readonly [key: string]: unknown
  }
  readonly createdAt: string
  readonly tfjsVersion: string
  readonly intendedUse: string
}

/** What `npm run evaluate:real -- --card` writes: one entry per real scan, with or without an expert mask. */
export interface RealScanScores {
  readonly scores: ReadonlyArray<{
    readonly id: string
    readonly contrast: string
    /** Against the expert mask; null for a healthy head (no mask). */
    readonly dice: number | null
    readonly predictedMl: number
    readonly referenceMl: number | null
  }>
  /** What could not be measured, in words. */
  readonly notes: readonly string[]
  /** When (ISO 8601). */
  readonly measuredAt?: string
}

export class ModelCardError extends Error {
  constructor(message: string) {
    super(`model card: ${message}`)
    this.name = 'ModelCardError'
  }
}

function need(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ModelCardError(message)
}

/** Checks what the pipeline relies on; throws a ModelCardError naming the first problem. */
export function parseModelCard(json: unknown): ModelCard {
  need(typeof json === 'object' && json !== null, 'not a JSON object')
  const card = json as Partial<ModelCard>
  need(card.format === MODEL_CARD_FORMAT, `format must be '${MODEL_CARD_FORMAT}', got ${JSON.stringify(card.format)}`)
  need(card.modality === 'CT' || card.modality === 'MR', `modality must be 'CT' or 'MR', got ${JSON.stringify(card.modality)}`)
  const input = card.input
  need(!!input && input.plane === 'axial' && input.orientation === 'RAS', 'input must say plane "axial" and orientation "RAS"')
  need(input.spacingMm > 0 && input.spacingMm < 20, `input.spacingMm must be a spacing in mm, got ${input.spacingMm}`)
  need(Number.isInteger(input.sizeMultiple) && input.sizeMultiple > 0, `input.sizeMultiple must be a positive integer`)
  need(input.padToTrainingSize === undefined || typeof input.padToTrainingSize === 'boolean', 'input.padToTrainingSize must be true or false')
  const contrastChannels = input.contrastChannels ?? []
  need(Array.isArray(contrastChannels) && contrastChannels.every((c) => NAMED_CONTRASTS.includes(c)) && new Set(contrastChannels).size === contrastChannels.length, `input.contrastChannels must list distinct contrasts among ${NAMED_CONTRASTS.join(', ')}`)
  need(input.mirrorChannel === undefined || typeof input.mirrorChannel === 'boolean', 'input.mirrorChannel must be true or false')
  const channels = 1 + (input.mirrorChannel ? 1 : 0) + contrastChannels.length
  need(card.architecture?.inputChannels === channels, `architecture.inputChannels must be ${channels} (the scan${input.mirrorChannel ? ', its mirror' : ''} and ${contrastChannels.length} contrast channels), got ${card.architecture?.inputChannels}`)
  const n = card.normalization
  need(!!n && (n.kind === 'mr-zscore' || n.kind === 'ct-window'), `normalization.kind must be 'mr-zscore' or 'ct-window'`)
  need(n.clip > 0 && (n.kind !== 'ct-window' || n.width > 0), 'normalization needs clip > 0 (and width > 0 for ct-window)')
  need(typeof card.threshold === 'number' && card.threshold > 0 && card.threshold < 1, 'threshold must lie between 0 and 1')
  need(card.seedThreshold === undefined || (typeof card.seedThreshold === 'number' && card.seedThreshold > card.threshold && card.seedThreshold < 1), 'seedThreshold must lie between threshold and 1')
  need(card.minLesionMl === undefined || (typeof card.minLesionMl === 'number' && card.minLesionMl >= 0), 'minLesionMl must be a volume in mL (0 or more)')
  need(card.mirrorAveraging === undefined || typeof card.mirrorAveraging === 'boolean', 'mirrorAveraging must be true or false')
  const brain = card.brainMask
  need(brain === undefined || (typeof brain.model === 'string' && brain.model !== '' && brain.dilationMm >= 0 && brain.minShareInside > 0 && brain.minShareInside <= 1), 'brainMask needs a model folder, dilationMm >= 0 and minShareInside in (0, 1]')
  need(!!card.training && typeof card.training.dataOrigin === 'string', 'training.dataOrigin is missing')
  need(!!card.metrics, 'metrics is missing')
  return card as ModelCard
}

/** The mask value of a voxel of probability p: 0 background, 1 lesion, 2 a lesion voxel that also reaches the seed threshold. */
export function maskValueOf(p: number, card: Pick<ModelCard, 'threshold' | 'seedThreshold'>): 0 | 1 | 2 {
  return p < card.threshold ? 0 : p >= (card.seedThreshold ?? Infinity) ? 2 : 1
}

/** What the app must say about a model's evidence, plainly. */
export function intendedUseNotice(card: ModelCard): string {
  const origin = card.training.dataOrigin
  if (origin === 'real') return card.intendedUse
  return `Trained on ${origin} data (${card.training.dataKind}): research use only, not for diagnosis.`
}

/**
 * The model's evidence on real scans, in one line for the model card: Dice per real stroke scan with an
 * expert mask, the volume it marks on real healthy heads, or that it was never checked on real scans.
 */
export function realScanSummary(card: ModelCard): string {
  const real = card.metrics.realScans
  if (!real || real.scores.length === 0) {
    return real?.notes.length ? `Real scans: ${real.notes.join(' ')}` : 'Real scans: not measured; this model was never checked on a real scan.'
  }
  const withMask = real.scores.filter((s) => s.dice !== null)
  const healthy = real.scores.filter((s) => s.dice === null)
  const parts = [
    ...withMask.map((s) => `${s.contrast} Dice ${s.dice!.toFixed(2)}`),
    ...(healthy.length ? [`healthy heads: ${healthy.map((s) => `${s.predictedMl.toFixed(0)} mL marked on ${s.contrast}`).join(', ')}`] : []),
  ]
  return `Real scans with a lesion mask: ${parts.join('; ')}. Checked on ${[...new Set(real.scores.map((s) => s.contrast))].join(', ')}.${real.notes.length ? ` ${real.notes.join(' ')}` : ''}`
}

/** What the mask leaves out by design (lesions that never reach the seed threshold, smaller than minLesionMl, outside the brain). Null when it keeps all. */
export function leftOutNotice(card: ModelCard): string | null {
  const parts = [
    ...(card.seedThreshold ? [`lesions whose probability nowhere reaches ${card.seedThreshold}`] : []),
    ...(card.minLesionMl ? [`lesions under ${card.minLesionMl} mL`] : []),
    ...(card.brainMask ? ['lesions lying mostly outside the brain'] : []),
  ]
  if (parts.length === 0) return null
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
  return `${list[0].toUpperCase()}${list.slice(1)} are not marked: on validation scans, such marks were mostly false.`
}

/**
 * Said before a run when the model's evidence does not cover this scan: a model made for the other modality,
 * or one never checked on a real scan of this modality with a lesion mask. Null when it was checked.
 */
export function modelFitNotice(card: ModelCard, scanModality: 'CT' | 'MR'): string | null {
  if (card.modality !== scanModality) return `This is ${scanModality === 'CT' ? 'a CT' : 'an MR'} scan and ${card.name} was made for ${card.modality}: its result here means little.`
  const checked = (card.metrics.realScans?.scores ?? []).filter((s) => s.dice !== null)
  if (checked.length === 0) return `${card.name} was never checked on a real ${scanModality} scan with a lesion mask: its result on this scan is unverified.`
  return null
}

/**
 * The contrasts of a model made for some MR contrasts only, read from its card's `contrast` (as training's
 * mrContrastDescription writes it: "T2 scans only (trained on ...)"), e.g. ['T2']; null for a model of every contrast.
 */
export function contrastsOnly(contrast: string): string[] | null {
  const only = /^(.+) scans only \(/.exec(contrast)
  return only ? only[1].split(', ') : null
}

/**
 * Said when the scan's contrast, as its files name it (null: not named), does not fit the model: one trained on
 * other contrasts alone, or one told the contrast (contrast channels) that will not be told this scan's. Null when
 * it fits, and for a model of every contrast that is not told it.
 */
export function contrastFitNotice(card: ModelCard, recognised: RecognisedContrast | null): string | null {
  const only = contrastsOnly(card.contrast)
  if (only) {
    const made = `${card.name} was trained on ${only.join(' and ')} scans alone`
    if (!recognised) return `${made}; nothing in this scan's files says which contrast it is, so check that it is one.`
    if (only.includes(recognised.contrast)) return null
    return `${made}, and this scan is ${recognised.contrast} by ${recognised.source}: its result here means little.`
  }
  const told = card.input.contrastChannels ?? []
  if (told.length === 0 || (recognised && told.includes(recognised.contrast))) return null
  const named = recognised ? `this scan is ${recognised.contrast} by ${recognised.source}, a contrast it was not told in training` : "nothing in this scan's files says which contrast it is"
  return `${card.name} is told each scan's contrast (${told.join(', ')}); ${named}, so it segments without being told, as on a random contrast.`
}
