/**
 * Datasets on disk, in the layouts train and evaluate read:
 * - simple (what make-data writes): DIR/images/<case>.nii.gz + DIR/masks/<case>.nii.gz, optional DIR/split.json;
 * - ATLAS R2.0 (BIDS): sub-* /ses-* /anat/*_T1w.nii.gz + *_label-L_desc-T1lesion_mask.nii.gz;
 * - ISLES-style: <name>.nii.gz + <name>_msk.nii.gz side by side.
 * The case id is the subject (ATLAS: sub-X_ses-Y), so a split by case is a split by subject.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { scanContentKey, sha256Hex } from '../../io/drafts/maskDrafts'
import { writeNifti } from '../../io/nifti/writeNifti'
import { recogniseContrast, type NamedContrast } from '../../pipeline/scanContrast'
import { gridMismatch, type Volume } from '../../volume/volume'
import { listFilesRecursively, NIFTI_FILE, readNiftiFile } from '../io/niftiFiles'
import { namedContrastOf } from '../synth/contrast'
import { createRandom } from './random'

export interface DatasetCase {
  readonly id: string
  readonly image: string
  readonly mask: string
  /** The MR contrast, as the app would read it: the one make-data drew (dataset.json), else the image file's name (null: none). */
  readonly contrast: NamedContrast | null
}

export interface Split {
  readonly train: readonly string[]
  readonly validation: readonly string[]
  readonly test: readonly string[]
}

export type SplitName = keyof Split

export interface Dataset {
  readonly dir: string
  readonly layout: 'simple' | 'atlas-bids' | 'isles'
  readonly cases: readonly DatasetCase[]
  /** From split.json when present. */
  readonly split: Split | null
}

const stripNifti = (name: string) => name.replace(NIFTI_FILE, '')

export function findDataset(dir: string): Dataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`dataset folder ${dir} does not exist`)
  const splitPath = join(dir, 'split.json')
  const split = existsSync(splitPath) ? readSplit(splitPath) : null
  if (existsSync(join(dir, 'images')) && existsSync(join(dir, 'masks'))) {
    const drawn = contrastsById(readDatasetInfo(dir))
    const cases = readdirSync(join(dir, 'images'))
      .filter((f) => NIFTI_FILE.test(f))
      .sort()
      .map((f) => {
        const mask = join(dir, 'masks', f)
        if (!existsSync(mask)) throw new Error(`${join(dir, 'images', f)} has no mask: expected ${mask}`)
        const id = stripNifti(f)
        return { id, image: join(dir, 'images', f), mask, contrast: drawn.has(id) ? namedContrastOf(drawn.get(id)!) : contrastOfFile(f) }
      })
    return checked({ dir, layout: 'simple', cases, split })
  }
  const files = listFilesRecursively(dir).filter((f) => NIFTI_FILE.test(f))
  const atlasMasks = files.filter((f) => /_label-L_desc-T1lesion_mask\.nii(\.gz)?$/i.test(f))
  if (atlasMasks.length > 0) {
    const cases = atlasMasks.map((mask) => {
      const prefix = mask.replace(/_label-L_desc-T1lesion_mask\.nii(\.gz)?$/i, '')
      const image = files.find((f) => f.startsWith(prefix) && /_T1w\.nii(\.gz)?$/i.test(f))
      if (!image) throw new Error(`ATLAS layout: ${mask} has no *_T1w.nii.gz beside it`)
      const id = (basename(prefix).match(/sub-[^_]+(_ses-[^_]+)?/) ?? [basename(prefix)])[0]
      return { id, image, mask, contrast: contrastOfFile(image) }
    })
    return checked({ dir, layout: 'atlas-bids', cases, split })
  }
  const islesMasks = files.filter((f) => /_msk\.nii(\.gz)?$/i.test(f))
  if (islesMasks.length > 0) {
    const cases = islesMasks.map((mask) => {
      const stem = mask.replace(/_msk\.nii(\.gz)?$/i, '')
      const image = files.find((f) => f !== mask && stripNifti(f) === stem)
      if (!image) throw new Error(`ISLES layout: ${mask} has no image ${basename(stem)}.nii.gz beside it`)
      return { id: relative(dir, stem).replace(/[\\/]/g, '_'), image, mask, contrast: contrastOfFile(image) }
    })
    return checked({ dir, layout: 'isles', cases, split })
  }
  throw new Error(
    `${dir} matches no dataset layout. Expected one of: images/<case>.nii.gz + masks/<case>.nii.gz (make-data); ` +
      `ATLAS R2.0 BIDS (sub-*/ses-*/anat/*_T1w.nii.gz + *_label-L_desc-T1lesion_mask.nii.gz); ` +
      `ISLES-style <name>.nii.gz + <name>_msk.nii.gz.`,
  )
}

function contrastOfFile(path: string): NamedContrast | null {
  return recogniseContrast({ fileName: basename(path) })?.contrast ?? null
}

function checked(dataset: Dataset): Dataset {
  if (dataset.cases.length === 0) throw new Error(`${dataset.dir}: no cases found (${dataset.layout} layout)`)
  const ids = new Set(dataset.cases.map((c) => c.id))
  if (ids.size !== dataset.cases.length) throw new Error(`${dataset.dir}: two cases share an id`)
  if (dataset.split) {
    for (const id of [...dataset.split.train, ...dataset.split.validation, ...dataset.split.test]) {
      if (!ids.has(id)) throw new Error(`${dataset.dir}/split.json names case '${id}', which is not in the dataset`)
    }
  }
  return dataset
}

export function readSplit(path: string): Split {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Partial<Split>
  const names: SplitName[] = ['train', 'validation', 'test']
  for (const name of names) if (!Array.isArray(json[name])) throw new Error(`${path}: "${name}" must be a list of case ids`)
  const seen = new Map<string, SplitName>()
  for (const name of names) {
    for (const id of json[name]!) {
      if (seen.has(id)) throw new Error(`${path}: case '${id}' is in both ${seen.get(id)} and ${name}`)
      seen.set(id, name)
    }
  }
  return json as Split
}

/** Seeded split by case: 70 / 15 / 15 %, at least one case in validation and test when there are 3 or more. */
export function splitCases(ids: readonly string[], seed: number): Split {
  const shuffled = createRandom(seed).shuffle([...ids].sort())
  const n = shuffled.length
  const held = n >= 3 ? Math.max(1, Math.round(0.15 * n)) : 0
  return { train: shuffled.slice(2 * held), validation: shuffled.slice(0, held), test: shuffled.slice(held, 2 * held) }
}

export function splitOf(dataset: Dataset, seed: number): Split {
  return dataset.split ?? splitCases(dataset.cases.map((c) => c.id), seed)
}

/** What make-data records in DIR/dataset.json; {} for other layouts. */
export interface DatasetInfo {
  readonly kind?: string
  readonly description?: string
  readonly dataOrigin?: 'synthetic' | 'semi-synthetic' | 'real'
  readonly maskRole?: string
  readonly seed?: number
  /** Synthetic CT drawn with other than the generator's default ranges (make-data --ct-lesion-hu, --ct-wm-disease-hu). */
  readonly ctLesionDropHu?: readonly [number, number]
  readonly ctWhiteMatterDiseaseHu?: readonly [number, number]
  /** Synthetic MR records the contrast each case was drawn with; synthetic volumes their voxel size and pasted lesions. */
  readonly cases?: ReadonlyArray<{ readonly id: string; readonly contrast?: string; readonly spacingMm?: readonly number[]; readonly lesionSources?: readonly string[]; readonly lesionMl?: number }>
}

export function readDatasetInfo(dir: string): DatasetInfo {
  const path = join(dir, 'dataset.json')
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DatasetInfo) : {}
}

/** The contrast each case was drawn with, by case id (cases without one left out). */
export function contrastsById(info: DatasetInfo): Map<string, string> {
  return new Map((info.cases ?? []).flatMap((c) => (c.contrast ? [[c.id, c.contrast] as const] : [])))
}

export interface LoadedCase {
  readonly id: string
  readonly image: Volume
  readonly mask: Volume
  /** Told to a model with contrast channels (DatasetCase.contrast); absent: not named. */
  readonly contrast?: NamedContrast | null
}

export function loadCase(c: DatasetCase): LoadedCase {
  const image = readNiftiFile(c.image)
  const mask = readNiftiFile(c.mask)
  const mismatch = gridMismatch(image, mask, 0.5)
  if (mismatch) throw new Error(`case ${c.id}: the mask ${c.mask} is not on the image's grid: ${mismatch}`)
  return { id: c.id, image, mask, contrast: c.contrast }
}

/**
 * SHA-256 (first 16 hex digits) of these cases' ids and the content keys of their images and masks (dims, voxel type
 * and voxels: `scanContentKey`, as the app keys a scan's drafts), in id order. A benchmark regenerated from its seed
 * is the same data only while the generator is unchanged: the digest beside its scores says whether two scores were
 * made on the same volumes.
 */
export async function datasetDigest(cases: readonly LoadedCase[]): Promise<string> {
  const sorted = [...cases].sort((a, b) => (a.id < b.id ? -1 : 1))
  const keys = await Promise.all(sorted.map(async (c) => `${c.id}:${await scanContentKey(c.image)}:${await scanContentKey(c.mask)}\n`))
  return (await sha256Hex(new TextEncoder().encode(keys.join('')))).slice(0, 16)
}

export function writeSimpleCase(dir: string, id: string, image: Volume, mask: Volume): void {
  for (const sub of ['images', 'masks']) mkdirSync(join(dir, sub), { recursive: true })
  writeFileSync(join(dir, 'images', `${id}.nii.gz`), writeNifti(image))
  writeFileSync(join(dir, 'masks', `${id}.nii.gz`), writeNifti(mask))
}
