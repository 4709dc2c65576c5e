/**
 * The models shipped in models/ (each folder: model.json, weight shards, model-card.json), and which one a
 * scan gets by default: CT scans the CT model, everything else the T1 MR model. The user can override.
 */
import type { Modality } from '../volume/volume'

export interface BundledModel {
  /** Folder name under models/. */
  readonly id: string
  readonly modality: 'CT' | 'MR'
  readonly label: string
}

export const BUNDLED_MODELS: readonly BundledModel[] = [
  { id: 't1-transplant', modality: 'MR', label: 'MR (T1-trained UNet++)' },
  { id: 'ct-transplant', modality: 'CT', label: 'CT (non-contrast, UNet++)' },
]

export function bundledModelFor(modality: Modality): BundledModel {
  return BUNDLED_MODELS.find((m) => m.modality === (modality === 'CT' ? 'CT' : 'MR'))!
}
