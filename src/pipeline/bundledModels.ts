/**
 * The models shipped in models/ (each folder: model.json, weight shards, model-card.json), and which one a
 * scan gets by default: CT scans the CT model, everything else the MR model. The user can override, e.g. with
 * a contrast's own MR model: trained on that contrast alone, it does not confuse a T2 scan with an ADC map, whose
 * lesions have the opposite polarity (MODELS.md, session 48).
 */
import type { Modality } from '../volume/volume'

export interface BundledModel {
  /** Folder name under models/. */
  readonly id: string
  readonly modality: 'CT' | 'MR'
  readonly label: string
}

export const BUNDLED_MODELS: readonly BundledModel[] = [
  { id: 'mr', modality: 'MR', label: 'MR, any contrast (UNet++)' },
  { id: 'ct', modality: 'CT', label: 'CT (non-contrast, UNet++)' },
  { id: 'mr-t2', modality: 'MR', label: 'MR, T2 scans only (UNet++)' },
  { id: 'mr-adc', modality: 'MR', label: 'MR, ADC maps only (UNet++)' },
]

export function bundledModelFor(modality: Modality): BundledModel {
  return BUNDLED_MODELS.find((m) => m.modality === (modality === 'CT' ? 'CT' : 'MR'))!
}
