/**
 * What a UNet++ is built from, validated in one place with named defaults.
 */

/** Which auxiliary edge task is attached during training (the rows of the paper's Table 2). */
export type AuxiliaryTask = 'lffgm' | 'simple' | 'none'

export interface UnetPlusPlusSpec {
  /** Filters of levels 0..4 (X^{0,*} .. X^{4,*}). */
  readonly filters: readonly [number, number, number, number, number]
  /** Input channels (1 for a single-modality slice). */
  readonly inputChannels: number
  readonly aux: AuxiliaryTask
  /** Channels of the LFFGM's internal feature maps (the paper's Fig. 1: 32). */
  readonly lffgmChannels: number
}

export const DEFAULT_FILTERS: UnetPlusPlusSpec['filters'] = [32, 64, 128, 256, 512]

export const DEFAULT_SPEC: UnetPlusPlusSpec = {
  filters: DEFAULT_FILTERS,
  inputChannels: 1,
  aux: 'lffgm',
  lffgmChannels: 32,
}

/** UNet++ pools four times; the LFFGM pools twice more below X^{4,0}. */
export const UNET_SIZE_MULTIPLE = 16
export const LFFGM_SIZE_MULTIPLE = 64

export function validateSpec(spec: Partial<UnetPlusPlusSpec> = {}): UnetPlusPlusSpec {
  const full = { ...DEFAULT_SPEC, ...spec }
  if (full.filters.length !== 5 || !full.filters.every((f) => Number.isInteger(f) && f > 0)) {
    throw new Error(`filters must be 5 positive integers (levels 0..4), got [${full.filters.join(', ')}]`)
  }
  if (!(Number.isInteger(full.inputChannels) && full.inputChannels > 0)) {
    throw new Error(`inputChannels must be a positive integer, got ${full.inputChannels}`)
  }
  if (!['lffgm', 'simple', 'none'].includes(full.aux)) throw new Error(`aux must be 'lffgm', 'simple' or 'none', got '${full.aux}'`)
  if (!(Number.isInteger(full.lffgmChannels) && full.lffgmChannels > 0)) {
    throw new Error(`lffgmChannels must be a positive integer, got ${full.lffgmChannels}`)
  }
  return full
}

/** The multiple that H and W must have for a model with this auxiliary task. */
export function sizeMultipleFor(aux: AuxiliaryTask): number {
  return aux === 'lffgm' ? LFFGM_SIZE_MULTIPLE : UNET_SIZE_MULTIPLE
}

/** Throws a clear error unless an input of H x W fits the network. */
export function assertInputSize(height: number, width: number, aux: AuxiliaryTask): void {
  const multiple = sizeMultipleFor(aux)
  if (height % multiple !== 0 || width % multiple !== 0 || height <= 0 || width <= 0) {
    const why = aux === 'lffgm' ? 'UNet++ with the LFFGM attached pools 6 times' : 'UNet++ pools 4 times'
    throw new Error(`input is ${height}x${width}: H and W must be positive multiples of ${multiple} (${why}); pad the slices first`)
  }
}
