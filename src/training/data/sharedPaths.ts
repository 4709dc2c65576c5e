/** Default locations of the third-party data beside the clone (as in CI); every CLI takes options instead. */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

export const DEFAULT_REAL_DATA_DIR = process.env.STROKESEG_REAL_DATA ?? resolve(repoRoot, '../shared/data/real')
export const DEFAULT_LESION_MASKS_DIR = process.env.STROKESEG_LESION_MASKS ?? resolve(repoRoot, '../shared/data/lesion_masks')
export const DEFAULT_TEMPLATES_DIR = DEFAULT_REAL_DATA_DIR
/** The two MNI T1 templates transplant datasets draw anatomy from, relative to the templates folder. */
export const TEMPLATE_FILES = ['lesion/mni_template_lesions/betsct1_unsmooth.nii.gz', 'mri_t1/MNI152_2009_template.nii.gz'] as const
/** The shared data root (anatomy/, lesion_masks/, real/): the heads of the synthetic generator are read from it. */
export const DEFAULT_SHARED_DATA_DIR = process.env.STROKESEG_SHARED_DATA ?? resolve(repoRoot, '../shared/data')
