/**
 * What a drop holds: decides, from names and first bytes only, which files are NIfTI images,
 * two-file NIfTI pairs, DICOM or zip archives, and which are none of these (with the reason).
 * Pure: no DOM, no decoding of voxels.
 */
import { niftiVersionOf } from '../nifti/header'
import { isGzip } from '../nifti/readNifti'

/** A file's bytes with the name the user knows it by and its path inside a dropped folder or zip. */
export interface NamedBytes {
  readonly name: string
  /** Relative path inside a dropped folder or archive ('' for a loose file). */
  readonly path: string
  readonly bytes: Uint8Array
}

export type ScanSource =
  /** `bValues`: the `.bval` dropped beside it (same name stem), which makes a 4-D file a diffusion series. */
  | { readonly kind: 'nifti'; readonly file: NamedBytes; readonly bValues?: NamedBytes }
  | { readonly kind: 'nifti-pair'; readonly header: NamedBytes; readonly image: NamedBytes }
  | { readonly kind: 'dicom'; readonly files: readonly NamedBytes[] }

export interface RejectedFile {
  readonly name: string
  readonly reason: string
}

export interface SortedDrop {
  readonly sources: readonly ScanSource[]
  readonly zips: readonly NamedBytes[]
  readonly rejected: readonly RejectedFile[]
  /** Sidecars and OS litter, skipped quietly unless the drop holds nothing else. */
  readonly skipped: readonly RejectedFile[]
}

/** Files that sit beside scans and are skipped without complaint (sidecars, OS litter, DICOMDIR indexes). */
const IGNORED_NAMES = /^(\.DS_Store|Thumbs\.db|desktop\.ini|DICOMDIR|LOCKFILE|VERSION)$|\.(json|txt|md|xml|csv|bvec)$|^\._/i

const DICOM_MAGIC_OFFSET = 128

export function isDicom(bytes: Uint8Array): boolean {
  return (
    bytes.length >= DICOM_MAGIC_OFFSET + 4 &&
    bytes[DICOM_MAGIC_OFFSET] === 0x44 && // D
    bytes[DICOM_MAGIC_OFFSET + 1] === 0x49 && // I
    bytes[DICOM_MAGIC_OFFSET + 2] === 0x43 && // C
    bytes[DICOM_MAGIC_OFFSET + 3] === 0x4d // M
  )
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
}

const NIFTI_NAME = /\.(nii|nii\.gz)$/i
const PAIR_HEADER_NAME = /\.hdr(\.gz)?$/i
const PAIR_IMAGE_NAME = /\.img(\.gz)?$/i
const DICOM_NAME = /\.(dcm|dicom|ima)$/i
const B_VALUES_NAME = /\.bval$/i

function stem(name: string): string {
  return name.replace(/\.(hdr|img|nii|bval)(\.gz)?$/i, '')
}

/** Sorts the files of one drop (zips are returned unopened: the caller expands them and sorts their entries). */
export function sortDroppedFiles(files: readonly NamedBytes[]): SortedDrop {
  const sources: ScanSource[] = []
  const dicom: NamedBytes[] = []
  const zips: NamedBytes[] = []
  const rejected: RejectedFile[] = []
  const skipped: RejectedFile[] = []
  const pairHeaders = new Map<string, NamedBytes>()
  const pairImages = new Map<string, NamedBytes>()
  const niftiFiles: NamedBytes[] = []
  const bValueFiles = new Map<string, NamedBytes>()

  for (const file of files) {
    const { name, bytes } = file
    if (bytes.length === 0) {
      rejected.push({ name, reason: 'the file is empty (0 bytes)' })
    } else if (PAIR_HEADER_NAME.test(name)) {
      pairHeaders.set(stem(file.path || name), file)
    } else if (PAIR_IMAGE_NAME.test(name)) {
      pairImages.set(stem(file.path || name), file)
    } else if (B_VALUES_NAME.test(name)) {
      bValueFiles.set(stem(file.path || name), file)
    } else if (isZip(bytes)) {
      zips.push(file)
    } else if (isDicom(bytes)) {
      dicom.push(file)
    } else if (NIFTI_NAME.test(name) || looksLikeNifti(bytes)) {
      // A .nii.gz is judged by its header only after gunzip, in the parser: a damaged one gets its own message there.
      niftiFiles.push(file)
    } else if (DICOM_NAME.test(name)) {
      // No DICM marker (e.g. a raw dataset without preamble): let dcm2niix try, it reports what it cannot read.
      dicom.push(file)
    } else if (IGNORED_NAMES.test(name)) {
      skipped.push({ name, reason: 'not a scan (a text, sidecar or system file)' })
    } else {
      rejected.push({ name, reason: 'not a NIfTI, DICOM or zip file (no NIfTI header, no DICM marker)' })
    }
  }

  for (const file of niftiFiles) {
    const key = stem(file.path || file.name)
    const bValues = bValueFiles.get(key)
    bValueFiles.delete(key)
    sources.push(bValues ? { kind: 'nifti', file, bValues } : { kind: 'nifti', file })
  }
  for (const lone of bValueFiles.values()) skipped.push({ name: lone.name, reason: 'b-values without their scan (drop the .nii or .nii.gz of the same name with it)' })
  for (const [key, header] of pairHeaders) {
    const image = pairImages.get(key)
    if (image) {
      sources.push({ kind: 'nifti-pair', header, image })
      pairImages.delete(key)
    } else {
      rejected.push({ name: header.name, reason: `a .hdr needs its .img: drop ${stem(header.name)}.img together with it` })
    }
  }
  for (const image of pairImages.values()) {
    rejected.push({ name: image.name, reason: `a .img needs its .hdr: drop ${stem(image.name)}.hdr together with it` })
  }
  if (dicom.length > 0) sources.push({ kind: 'dicom', files: dicom })
  return { sources, zips, rejected, skipped }
}

function looksLikeNifti(bytes: Uint8Array): boolean {
  return isGzip(bytes) || niftiVersionOf(bytes) !== null
}
