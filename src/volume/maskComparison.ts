/**
 * Two lesion masks of one scan side by side (the current mask A, a reference B: a colleague's, an expert's, an
 * earlier run): their overlap as a reader compares them. Both on the same grid; non-zero = lesion.
 */
import { confusion, scoresOf } from '../model/metrics/segmentationMetrics'
import { lesionVolumeMl } from './lesionReport'
import type { Volume } from './volume'

export interface MaskComparison {
  /** 2|A∩B| / (|A| + |B|); null when both masks are empty. */
  readonly dice: number | null
  readonly volumeAMl: number
  readonly volumeBMl: number
  /** Lesion voxels of A that B does not mark, and of B that A does not. */
  readonly onlyAVoxels: number
  readonly onlyBVoxels: number
  readonly bothVoxels: number
}

export function compareMasks(a: Volume, b: Volume): MaskComparison {
  const { tp, fp, fn } = confusion(a.data, b.data)
  return {
    dice: scoresOf({ tp, fp, fn }).dice,
    volumeAMl: lesionVolumeMl(tp + fp, a.spacing),
    volumeBMl: lesionVolumeMl(tp + fn, b.spacing),
    onlyAVoxels: fp,
    onlyBVoxels: fn,
    bothVoxels: tp,
  }
}
