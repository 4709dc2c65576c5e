/** How the session names what it opens: a scan's summary for the panel, file names for exports and messages. */
import type { DroppedFile, ScanCandidate } from '../../io/openScanFiles'
import { orientationCode } from '../../volume/affine'
import { guessModality } from '../../volume/volume'
import type { ScanSummary } from '../state/session'

/** The panel's summary of a scan: what the file says, and the modality and contrast that pick the model. */
export function summaryOf(candidate: ScanCandidate): ScanSummary {
  const { volume } = candidate
  return {
    label: candidate.label,
    dims: volume.dims,
    spacing: volume.spacing,
    modality: volume.modality,
    likelyModality: (volume.modality === 'unknown' ? guessModality(volume.data) : volume.modality) === 'CT' ? 'CT' : 'MR',
    contrast: candidate.contrast,
    datatype: volume.datatype,
    orientation: orientationCode(volume.affine),
    notes: candidate.notes,
    fromDicom: candidate.dicom !== undefined,
  }
}

/** A file name's stem, safe for a download name: FLAIR.nii.gz -> FLAIR. */
export function baseName(name: string): string {
  return name.replace(/\.(nii(\.gz)?|dcm|zip)$/i, '').replace(/[^\w.-]+/g, '_') || 'scan'
}

/** What was dropped, in a few words: a file's name, a folder, or a count. */
export function describeFiles(files: readonly DroppedFile[]): string {
  if (files.length === 0) return 'the drop'
  if (files.length === 1) return files[0].file.name
  const folder = files[0].path.split('/')[0]
  return folder && files.every((f) => f.path.startsWith(`${folder}/`)) ? `folder ${folder} (${files.length} files)` : `${files.length} files`
}
