/**
 * Masks in files: reading one for the open scan (NIfTI on its grid, or a DICOM SEG of its series), and what a
 * DICOM SEG of the shown mask says about who made it.
 */
import type { SegAuthor } from '../../io/dicom/dicomSeg'
import type { DicomSeries } from '../../io/dicom/dicomSeries'
import type { NamedBytes } from '../../io/files/sortDroppedFiles'
import { openScanFiles, type DroppedFile, type ScanCandidate } from '../../io/openScanFiles'
import type { ScanParserClient } from '../../io/parser/scanParserClient'
import { binaryMaskFrom, gridMismatch, type Volume } from '../../volume/volume'
import type { MaskSummary } from '../state/session'
import { describeProblem } from '../state/session'
import { describeFiles } from './describe'

export type MaskFileRead =
  | { readonly mask: Volume; readonly label: string; readonly problems: readonly string[] }
  | { readonly mask: null; readonly problems: readonly string[] }

/**
 * A mask file for `scan`: on its grid (made binary), or the reasons it is not one. For a scan opened from DICOM
 * (`series`), a DICOM SEG of that series is read onto it.
 */
export async function readMaskFile(files: readonly DroppedFile[], scan: Volume, parser: ScanParserClient, series: DicomSeries | null): Promise<MaskFileRead> {
  try {
    if (series) {
      const segmentation = await segmentationOf({ volume: scan, dicom: { series, segmentations: await dicomSegmentations(files) } })
      if (segmentation) return segmentation
    }
    const opened = await openScanFiles(files, parser)
    const problems = opened.problems.map(describeProblem)
    const candidate = opened.candidates[0]
    if (!candidate) return { mask: null, problems }
    const mismatch = gridMismatch(scan, candidate.volume)
    if (mismatch) return { mask: null, problems: [describeProblem({ name: candidate.label, reason: `not on the scan's grid: ${mismatch}` })] }
    return { mask: binaryMaskFrom(candidate.volume), label: candidate.label, problems }
  } catch (e) {
    return { mask: null, problems: [describeProblem({ name: describeFiles(files), reason: (e as Error).message })] }
  }
}

/** The DICOM SEG objects among the files (none when they are something else). */
async function dicomSegmentations(files: readonly DroppedFile[]): Promise<readonly NamedBytes[]> {
  const named = await Promise.all(files.map(async ({ file, path }) => ({ name: file.name, path, bytes: new Uint8Array(await file.arrayBuffer()) })))
  const { sortDroppedDicom } = await import('../../io/dicom/dicomSeries')
  return sortDroppedDicom(named).segmentations
}

/** The first DICOM SEG dropped with a series that is a mask of it, or the reasons none is. */
export async function segmentationOf(candidate: Pick<ScanCandidate, 'volume' | 'dicom'>): Promise<MaskFileRead | null> {
  const segmentations: readonly NamedBytes[] = candidate.dicom?.segmentations ?? []
  if (!candidate.dicom || segmentations.length === 0) return null
  const { readDicomSeg } = await import('../../io/dicom/dicomSeg')
  const problems: string[] = []
  for (const file of segmentations) {
    try {
      return { ...readDicomSeg(file.bytes, file.name, candidate.dicom.series, candidate.volume), problems }
    } catch (e) {
      problems.push(describeProblem({ name: file.name, reason: (e as Error).message }))
    }
  }
  return { mask: null, problems }
}

/** A model's mask as it came out of the model is AUTOMATIC; one drawn, opened or corrected by hand is MANUAL. */
export function segAuthorOf(mask: MaskSummary): SegAuthor {
  if (mask.origin === 'segmentation' && mask.model && mask.edits === 0) {
    return { algorithm: { name: mask.model.name, version: mask.model.createdAt }, seriesDescription: `StrokeSeg lesion (${mask.model.name})` }
  }
  return { algorithm: null, seriesDescription: mask.edits > 0 ? 'StrokeSeg lesion (corrected by hand)' : 'StrokeSeg lesion (manual)' }
}
