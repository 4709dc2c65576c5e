/** Default locations of the third-party data beside the clone (as in CI); every CLI takes options instead. */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

export const DEFAULT_REAL_DATA_DIR = process.env.STROKESEG_REAL_DATA ?? resolve(repoRoot, '../shared/data/real')
export const DEFAULT_LESION_MASKS_DIR = process.env.STROKESEG_LESION_MASKS ?? resolve(repoRoot, '../shared/data/lesion_masks')
/** The shared data root (anatomy/, lesion_masks/, real/): the heads of the synthetic generator are read from it. */
export const DEFAULT_SHARED_DATA_DIR = process.env.STROKESEG_SHARED_DATA ?? resolve(repoRoot, '../shared/data')
