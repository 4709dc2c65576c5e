/**
 * The models shipped in models/ (each folder: model.json, weight shards, model-card.json), and which one a
 * scan gets by default: CT scans the CT model, everything else the MR model. The user can override.
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
]

export function bundledModelFor(modality: Modality): BundledModel {
  return BUNDLED_MODELS.find((m) => m.modality === (modality === 'CT' ? 'CT' : 'MR'))!
}
