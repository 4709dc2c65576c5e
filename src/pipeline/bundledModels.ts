/**
 * The models shipped in models/ (each folder: model.json, weight shards, model-card.json), and which one a
 * scan gets when the user has not picked one: a CT scan the CT model; an MR scan whose files name its contrast
 * (scanContrast.ts) that contrast's own model where one is shipped, else the model for any MR contrast.
 * A contrast's own model was trained on that contrast alone: it does not confuse a T2 scan with an ADC map,
 * whose lesions have the opposite polarity (MODELS.md, session 48).
 */
import type { Modality } from '../volume/volume'
import type { NamedContrast, RecognisedContrast } from './scanContrast'

export interface BundledModel {
  /** Folder name under models/. */
  readonly id: string
  readonly modality: 'CT' | 'MR'
  readonly label: string
  /** The contrasts it was trained for, when not every contrast of its modality. */
  readonly contrasts?: readonly NamedContrast[]
}

export const BUNDLED_MODELS: readonly BundledModel[] = [
  { id: 'mr', modality: 'MR', label: 'MR, any contrast (UNet++)' },
  { id: 'ct', modality: 'CT', label: 'CT (non-contrast, UNet++)' },
  { id: 'mr-t2', modality: 'MR', label: 'MR, T2 scans only (UNet++)', contrasts: ['T2'] },
  { id: 'mr-adc', modality: 'MR', label: 'MR, ADC maps only (UNet++)', contrasts: ['ADC'] },
]

/** The model a scan gets by default, and why, in words for the user. */
export interface DefaultModel {
  readonly model: BundledModel
  readonly reason: string
}

export function bundledModelFor(modality: Modality, recognised: RecognisedContrast | null = null): DefaultModel {
  if (modality === 'CT') return { model: modelById('ct'), reason: 'a CT scan' }
  if (!recognised) return { model: modelById('mr'), reason: 'an MR scan; no contrast named in its files' }
  const own = BUNDLED_MODELS.find((m) => m.contrasts?.includes(recognised.contrast))
  const named = `an MR scan, ${recognised.contrast} by ${recognised.source}`
  return own ? { model: own, reason: named } : { model: modelById('mr'), reason: `${named}; no model of that contrast alone is shipped` }
}

function modelById(id: string): BundledModel {
  return BUNDLED_MODELS.find((m) => m.id === id)!
}
