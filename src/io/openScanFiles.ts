/**
 * Files from a drop or a file picker -> the scans they hold, as Volumes, plus a message for every file
 * that holds none. Browser only (File, workers); the decoding itself is pure code in nifti/ and files/.
 */
import { recogniseContrast, type RecognisedContrast } from '../pipeline/scanContrast'
import type { Volume } from '../volume/volume'
import { convertDicom, type ConvertedSeries } from './dicom/convertDicom'
import type { DicomSeries } from './dicom/dicomSeries'
import { seriesOnVolume } from './dicom/seriesOnVolume'
import { parseBValues, readingNotes } from './nifti/diffusion'
import { sortDroppedFiles, type NamedBytes, type RejectedFile, type ScanSource } from './files/sortDroppedFiles'
import type { ParsedNifti, ScanParserClient } from './parser/scanParserClient'

export interface DroppedFile {
  readonly file: File
  /** Relative path inside a dropped folder ('' for a loose file). */
  readonly path: string
}

export interface ScanCandidate {
  /** What the user sees in the series picker and the status line. */
  readonly label: string
  readonly volume: Volume
  /** Facts the user should know about how it was read (4-D, tilt correction, ...). */
  readonly notes: readonly string[]
  /** The MR contrast its files name (DICOM image type, b-values, series description, file name), or null. */
  readonly contrast: RecognisedContrast | null
  /** A scan from DICOM images: their series (for a DICOM SEG of the mask) and the SEG files dropped with them. */
  readonly dicom?: { readonly series: DicomSeries; readonly segmentations: readonly NamedBytes[] }
}

export interface OpenedFiles {
  readonly candidates: readonly ScanCandidate[]
  readonly problems: readonly RejectedFile[]
}

export async function openScanFiles(dropped: readonly DroppedFile[], parser: ScanParserClient): Promise<OpenedFiles> {
  if (dropped.length === 0) return { candidates: [], problems: [{ name: 'the drop', reason: 'it held no files' }] }
  const files: NamedBytes[] = await Promise.all(
    dropped.map(async ({ file, path }) => ({ name: file.name, path, bytes: new Uint8Array(await file.arrayBuffer()) })),
  )
  const first = sortDroppedFiles(files)
  const problems: RejectedFile[] = [...first.rejected]
  const sources: ScanSource[] = [...first.sources]
  for (const zip of first.zips) {
    try {
      const inner = sortDroppedFiles(await parser.unzip(zip))
      sources.push(...inner.sources)
      problems.push(...inner.rejected.map((r) => ({ name: `${zip.name}: ${r.name}`, reason: r.reason })))
      if (inner.sources.length === 0 && inner.rejected.length === 0) problems.push({ name: zip.name, reason: 'the archive holds no scan' })
    } catch (e) {
      problems.push({ name: zip.name, reason: (e as Error).message })
    }
  }

  const candidates: ScanCandidate[] = []
  for (const source of mergeDicomSources(sources)) {
    try {
      candidates.push(...(await openSource(source, parser)))
    } catch (e) {
      problems.push({ name: sourceName(source), reason: (e as Error).message })
    }
  }
  if (candidates.length === 0 && problems.length === 0) problems.push(...first.skipped)
  return { candidates, problems }
}

/** DICOM files from loose files and from zips go to dcm2niix together, which sorts them into series. */
function mergeDicomSources(sources: readonly ScanSource[]): ScanSource[] {
  const dicomFiles = sources.flatMap((s) => (s.kind === 'dicom' ? s.files : []))
  const others = sources.filter((s) => s.kind !== 'dicom')
  return dicomFiles.length > 0 ? [...others, { kind: 'dicom', files: dicomFiles }] : others
}

async function openSource(source: ScanSource, parser: ScanParserClient): Promise<ScanCandidate[]> {
  switch (source.kind) {
    case 'nifti': {
      const bValues = source.bValues && parseBValues(new TextDecoder().decode(source.bValues.bytes))
      const parsed = await parser.readNifti(source.file.name, source.file.bytes, { bValues })
      const contrast = recogniseContrast({ fileName: source.file.name, traceB: parsed.diffusion?.b })
      return [{ label: source.file.name, volume: parsed.volume, notes: readingNotes(parsed, { addBValues: 'drop its .bval with it' }), contrast }]
    }
    case 'nifti-pair': {
      const parsed = await parser.readNifti(source.header.name, source.header.bytes, { imageBytes: source.image.bytes })
      const contrast = recogniseContrast({ fileName: source.header.name })
      return [{ label: `${source.header.name} + ${source.image.name}`, volume: parsed.volume, notes: readingNotes(parsed), contrast }]
    }
    case 'dicom':
      return openDicom(source.files, parser)
  }
}

async function openDicom(files: readonly NamedBytes[], parser: ScanParserClient): Promise<ScanCandidate[]> {
  const { sortDroppedDicom } = await import('./dicom/dicomSeries') // dcmjs loads with the first DICOM drop
  const dropped = sortDroppedDicom(files)
  if (dropped.imageFiles.length === 0) throw new Error('a DICOM SEG holds a mask, not a scan: drop it together with its image series')
  const series = await convertDicom(dropped.imageFiles)
  const candidates: ScanCandidate[] = []
  for (const s of series) {
    const parsed = await parser.readNifti(dicomScanName(s), s.nifti, { modality: s.modality === 'unknown' ? undefined : s.modality, bValues: s.bValues })
    const source = sourceSeriesOf(dropped.series, s, parsed.volume)
    candidates.push({
      label: seriesLabel(s, dropped.imageFiles, parsed),
      volume: parsed.volume,
      notes: [...dicomNotes(s), ...readingNotes(parsed)],
      contrast: recogniseContrast({ description: s.description, imageType: s.imageType, traceB: parsed.diffusion?.b }),
      ...(source && { dicom: { series: source, segmentations: dropped.segmentations } }),
    })
  }
  return candidates
}

/** The images' series (headers read by dcmjs) that dcm2niix made `volume` of: same number, and they lie on its grid. */
function sourceSeriesOf(all: readonly DicomSeries[], converted: ConvertedSeries, volume: Volume): DicomSeries | null {
  const fits = (s: DicomSeries) => {
    try {
      seriesOnVolume(s, volume)
      return true
    } catch {
      return false
    }
  }
  const sameNumber = all.filter((s) => all.length === 1 || s.seriesNumber === converted.seriesNumber)
  return sameNumber.find(fits) ?? null
}

function dicomNotes(s: ConvertedSeries): string[] {
  if (s.irregularities.length === 0) return []
  return [`dcm2niix reports ${s.irregularities.join(' and ')}: showing the slices as acquired`]
}

/**
 * What tells one series from another in a picker: number, description, modality, slices and dims, e.g.
 * "series 3: Head Tilt (CT, 28 slices, 512x512x28)".
 */
function seriesLabel(s: ConvertedSeries, files: readonly NamedBytes[], parsed: ParsedNifti): string {
  const [nx, ny, nz] = parsed.volume.dims
  const series = [s.seriesNumber !== null ? `series ${s.seriesNumber}` : s.name, s.description].filter(Boolean).join(': ')
  const facts = `${s.modality === 'unknown' ? 'modality not given' : s.modality}, ${nz} ${nz === 1 ? 'slice' : 'slices'}${parsed.frameCount > 1 ? ` x ${parsed.frameCount} volumes` : ''}, ${nx}x${ny}x${nz}`
  return `${files.length === 1 ? `${files[0].name}: ` : ''}${series} (${facts})`
}

/** A readable scan name for a DICOM series (exports are named after it): "Head_Tilt_series_3", "CT_series_2". */
export function dicomScanName(s: Pick<ConvertedSeries, 'description' | 'seriesNumber' | 'modality'>): string {
  const what = s.description.trim() || (s.modality === 'unknown' ? 'DICOM' : s.modality)
  return [what, s.seriesNumber !== null ? `series ${s.seriesNumber}` : ''].filter(Boolean).join(' ').replace(/[^\w.-]+/g, '_')
}

function sourceName(source: ScanSource): string {
  switch (source.kind) {
    case 'nifti':
      return source.file.name
    case 'nifti-pair':
      return `${source.header.name} + ${source.image.name}`
    case 'dicom':
      return source.files.length === 1 ? source.files[0].name : `${source.files.length} DICOM files (${source.files[0].name}, ...)`
  }
}
