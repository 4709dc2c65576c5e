/**
 * What a synthetic scan looks like, drawn per sample (SynthSeg / SynthStroke style): one intensity and
 * texture per tissue label and for the lesion, and the scanner's effects.
 * - MR: most samples take a named contrast (T1, T2, FLAIR, DWI, ADC: textbook tissue ordering, each mean
 *   jittered), a share (`randomShare`, default 10 %) draws every mean at random; the lesion can end up darker
 *   or brighter than the tissue around it, subtle or strong, but never equal to it. Arbitrary units (tissue
 *   in 0..1, times a random gain). Fully random contrasts (SynthSeg) need far more training steps than this
 *   machine gives (at 35 % our first run had not separated lesion from tissue after 800 steps), so most
 *   samples stay near the contrasts the model will meet.
 * - CT: Hounsfield ranges per tissue; an acute infarct 2-15 HU below the tissue it replaces (CT_LESION_DROP_HU;
 *   a scan's options may ask for another range).
 */
import type { NamedContrast } from '../../pipeline/scanContrast'
import type { Random } from '../data/random'
import { LABEL, TISSUE_LABEL_COUNT } from './tissueLabels'

export type SynthMode = 'mr' | 'ct'
export const MR_CONTRASTS = ['t1', 't2', 'flair', 'dwi', 'adc'] as const
export type MrContrast = (typeof MR_CONTRASTS)[number]
export type ContrastName = MrContrast | 'random' | 'ct'

/** Index of the lesion in the per-label arrays, after the tissue labels. */
export const LESION = TISSUE_LABEL_COUNT

export interface ScanContrast {
  readonly mode: SynthMode
  readonly name: ContrastName
  /** Mean intensity per tissue label, then the lesion (MR: 0..1 units; CT: HU). For CT the lesion entry is the drop in HU. */
  readonly means: Float32Array
  /** Texture amplitude per label, then the lesion (MR: relative; CT: HU). */
  readonly textures: Float32Array
  /** How far the lesion moves from the tissue towards its own mean (MR), 0.5..1. */
  readonly lesionStrength: number
  /** MR only: intensity gain of the scanner's units. */
  readonly gain: number
  /** Bias field amplitude (MR: log-multiplicative; CT: HU, additive). */
  readonly bias: number
  /** MR only: exponent applied to intensities in 0..1 (1: none). */
  readonly gamma: number
  /** Noise standard deviation (MR: fraction of white matter's level; CT: HU). */
  readonly noise: number
  /** Slice thickness and spacing (mm), and the in-plane resolution's blur (Gaussian sigma, mm). */
  readonly thicknessMm: number
  readonly inPlaneBlurMm: number
  /** Everything but the brain set to air. */
  readonly skullStripped: boolean
}

// Means of air, CSF, grey, white, extra-cerebral CSF, bone, soft tissue; then the lesion's range.
const MR_PRESETS: Record<MrContrast, { tissue: number[]; lesion: [number, number] }> = {
  t1: { tissue: [0, 0.15, 0.45, 0.65, 0.15, 0.08, 0.7], lesion: [0.1, 0.35] }, // chronic: CSF-like cavity
  t2: { tissue: [0, 0.95, 0.5, 0.35, 0.95, 0.06, 0.45], lesion: [0.6, 0.95] },
  flair: { tissue: [0, 0.12, 0.5, 0.38, 0.12, 0.06, 0.55], lesion: [0.62, 0.95] },
  dwi: { tissue: [0, 0.12, 0.45, 0.4, 0.12, 0.03, 0.12], lesion: [0.7, 1] },
  adc: { tissue: [0, 1, 0.32, 0.28, 1, 0.02, 0.15], lesion: [0.1, 0.19] }, // acute: ADC ratio ~0.35-0.7 of white matter
}

/** A range of Hounsfield units [lowest, highest], drawn from uniformly. */
export type HuRange = readonly [number, number]

/** CT: how far below the tissue it replaces an acute infarct is drawn, by default (HU). */
export const CT_LESION_DROP_HU: HuRange = [2, 15]

/** Share of MR samples whose tissue means are all drawn at random. */
export const DEFAULT_RANDOM_CONTRAST_SHARE = 0.1

/**
 * MR: `named` are the contrasts drawn (uniformly from the list: repeat one to draw it more often) when the
 * scan's tissue means are not all random.
 */
export function sampleContrast(mode: SynthMode, random: Random, forced?: ContrastName, randomShare = DEFAULT_RANDOM_CONTRAST_SHARE, named: readonly MrContrast[] = MR_CONTRASTS, ctLesionDropHu: HuRange = CT_LESION_DROP_HU): ScanContrast {
  return mode === 'ct' ? sampleCtContrast(random, ctLesionDropHu) : sampleMrContrast(random, forced, randomShare, named)
}

/** MR contrast names from a comma-separated list (repeats kept); throws a readable error on an unknown one. */
export function parseMrContrasts(list: string): MrContrast[] {
  const names = list.split(',').map((c) => c.trim()).filter(Boolean)
  const unknown = names.find((c) => !(MR_CONTRASTS as readonly string[]).includes(c))
  if (unknown !== undefined) throw new Error(`unknown MR contrast '${unknown}' (${MR_CONTRASTS.join(', ')})`)
  return names as MrContrast[]
}

/** The contrast channels of a model told the scan's contrast (train --contrast-channels), from a comma-separated list of distinct names. */
export function parseContrastChannels(list: string): NamedContrast[] {
  const names = parseMrContrasts(list)
  if (new Set(names).size !== names.length) throw new Error(`a contrast is listed twice in '${list}'`)
  return names.map((c) => CONTRAST_LABEL[c])
}

const CONTRAST_LABEL: Record<MrContrast, NamedContrast> = { t1: 'T1', t2: 'T2', flair: 'FLAIR', dwi: 'DWI', adc: 'ADC' }

/** The app's name (scanContrast.ts) of a contrast drawn by name ('t1', ... 'adc'); null for any other ('random', 'ct'). */
export function namedContrastOf(drawn: string): NamedContrast | null {
  return Object.hasOwn(CONTRAST_LABEL, drawn) ? CONTRAST_LABEL[drawn as MrContrast] : null
}

/** What a model trained on these named contrasts (and a share of random ones) is for, as its card says it. */
export function mrContrastDescription(named: readonly MrContrast[], randomShare: number): string {
  const labels = MR_CONTRASTS.filter((c) => named.includes(c)).map((c) => CONTRAST_LABEL[c])
  const random = randomShare > 0 ? ' and random contrasts' : ''
  if (labels.length === MR_CONTRASTS.length) return `any MR contrast (trained on T1, T2, FLAIR, DWI, ADC-like${random})`
  return `${labels.join(', ')} scans only (trained on ${labels.join(', ')}-like${random}; other contrasts need another model)`
}

function sampleMrContrast(random: Random, forced: ContrastName | undefined, randomShare: number, named: readonly MrContrast[]): ScanContrast {
  const name: ContrastName = forced ?? (random.chance(randomShare) ? 'random' : random.pick(named))
  const means = new Float32Array(TISSUE_LABEL_COUNT + 1)
  if (name === 'random' || name === 'ct') {
    for (let l = 1; l < TISSUE_LABEL_COUNT; l++) means[l] = random.uniform(0.02, 1)
    const tissue = (means[LABEL.grey] + means[LABEL.white]) / 2
    do means[LESION] = random.uniform(0, 1)
    while (Math.abs(means[LESION] - tissue) < 0.15)
  } else {
    const preset = MR_PRESETS[name]
    preset.tissue.forEach((m, l) => (means[l] = l === LABEL.air ? 0 : Math.max(0.01, m * random.uniform(0.85, 1.15) + random.uniform(-0.03, 0.03))))
    means[LESION] = random.uniform(...preset.lesion)
  }
  const textures = new Float32Array(TISSUE_LABEL_COUNT + 1).map(() => random.uniform(0, 0.12))
  textures[LESION] = random.uniform(0, 0.3)
  return {
    mode: 'mr',
    name,
    means,
    textures,
    lesionStrength: random.chance(0.2) ? random.uniform(0.5, 0.75) : random.uniform(0.75, 1),
    gain: random.uniform(100, 2000),
    bias: random.uniform(0, 0.35),
    gamma: Math.exp(random.normal(0, 0.2)),
    noise: random.uniform(0.005, 0.05),
    thicknessMm: random.chance(0.3) ? random.uniform(1, 2) : random.uniform(2, 7),
    inPlaneBlurMm: random.uniform(0, 1.6),
    skullStripped: random.chance(0.25),
  }
}

function sampleCtContrast(random: Random, lesionDropHu: HuRange): ScanContrast {
  const grey = random.uniform(32, 45)
  const csf = random.uniform(0, 15)
  // air, CSF, grey, white, extra-cerebral CSF, bone, soft tissue; the lesion entry is the drop in HU
  const means = Float32Array.from([-1000, csf, grey, grey - random.uniform(4, 12), csf, random.uniform(400, 1600), random.uniform(-60, 50), random.uniform(...lesionDropHu)])
  const textures = Float32Array.from([0, 1, 2, 2, 1, 60, 15, 0].map((t) => t * random.uniform(0.2, 1.5)))
  textures[LESION] = random.uniform(0, 0.3) // relative variation of the drop
  return {
    mode: 'ct',
    name: 'ct',
    means,
    textures,
    lesionStrength: 1,
    gain: 1,
    bias: random.uniform(0, 4),
    gamma: 1,
    // Noise of a CT resampled to the model's 2 mm pixels (a scan's own 0.5 mm pixels are noisier: a 4x4 block
    // of them average into one), drawn on that grid.
    noise: random.uniform(1, 4),
    thicknessMm: random.chance(0.25) ? random.uniform(0.6, 2) : random.uniform(2, 7),
    inPlaneBlurMm: random.uniform(0, 1.2),
    skullStripped: random.chance(0.05),
  }
}
