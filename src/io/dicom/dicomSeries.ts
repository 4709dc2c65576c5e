/**
 * The headers of dropped DICOM files, read with dcmjs (dcm2niix keeps no per-image UIDs): image series with what
 * a derived object must reference (study, series, frame of reference, each image's SOP instance and position),
 * and DICOM Segmentation objects, kept apart (they are masks, not scans). Pure: no DOM, no workers.
 */
import { data as dicomData, type NaturalDataset } from 'dcmjs'
import type { Vec3 } from '../../volume/affine'
import type { NamedBytes } from '../files/sortDroppedFiles'
import { dot, sliceNormal } from './seriesOnVolume'

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4'

export interface SourceImage {
  readonly sopClassUid: string
  readonly sopInstanceUid: string
  /** ImagePositionPatient: the centre of the first pixel, patient LPS mm. */
  readonly position: Vec3
  /** ImageOrientationPatient: the direction of a row (columns increase) and of a column (rows increase), LPS. */
  readonly rowDirection: Vec3
  readonly columnDirection: Vec3
  readonly rows: number
  readonly columns: number
}

export interface DicomSeries {
  readonly studyInstanceUid: string
  readonly seriesInstanceUid: string
  readonly frameOfReferenceUid: string
  readonly seriesNumber: number | null
  readonly modality: string
  /** Patient and study attributes, copied as they are into a derived object of the same study. */
  readonly patientAndStudy: NaturalDataset
  readonly pixelSpacing: readonly [number, number]
  readonly sliceThickness: number | null
  /** Ordered along the slice normal (row × column direction), lowest first. */
  readonly images: readonly SourceImage[]
}

export interface DroppedDicom {
  readonly series: readonly DicomSeries[]
  /** Segmentation objects (their bytes, parsed again when applied). */
  readonly segmentations: readonly NamedBytes[]
  /** Everything else: the files dcm2niix converts. */
  readonly imageFiles: readonly NamedBytes[]
}

const PATIENT_AND_STUDY = [
  'PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'PatientAge', 'StudyInstanceUID', 'StudyDate', 'StudyTime',
  'StudyID', 'StudyDescription', 'AccessionNumber', 'ReferringPhysicianName',
] as const

/** Parses a DICOM file's dataset (up to the pixel data, or all of it); null when it is not DICOM that dcmjs reads. */
export function readDicomDataset(bytes: Uint8Array, withPixels = false): NaturalDataset | null {
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const dict = dicomData.DicomMessage.readFile(buffer, { ignoreErrors: true, untilTag: withPixels ? null : '7FE00010' })
    return dicomData.DicomMetaDictionary.naturalizeDataset(dict.dict)
  } catch {
    return null // a file dcmjs cannot read (no preamble, damaged) still goes to dcm2niix
  }
}

export function sortDroppedDicom(files: readonly NamedBytes[]): DroppedDicom {
  const bySeries = new Map<string, Array<{ dataset: NaturalDataset; image: SourceImage }>>()
  const segmentations: NamedBytes[] = []
  const imageFiles: NamedBytes[] = []
  for (const file of files) {
    const dataset = readDicomDataset(file.bytes)
    if (dataset?.SOPClassUID === SEGMENTATION_STORAGE) {
      segmentations.push(file)
      continue
    }
    imageFiles.push(file)
    const image = dataset && sourceImageOf(dataset)
    const uid = dataset && text(dataset.SeriesInstanceUID)
    if (!image || !uid) continue
    bySeries.set(uid, [...(bySeries.get(uid) ?? []), { dataset, image }])
  }
  const series = [...bySeries.values()].map((members) => seriesOf(members))
  return { series, segmentations, imageFiles }
}

function seriesOf(members: ReadonlyArray<{ dataset: NaturalDataset; image: SourceImage }>): DicomSeries {
  const first = members[0].dataset
  const normal = sliceNormal(members[0].image)
  const images = members.map((m) => m.image).sort((a, b) => dot(a.position, normal) - dot(b.position, normal))
  const spacing = numbers(first.PixelSpacing)
  const patientAndStudy: NaturalDataset = {}
  for (const key of PATIENT_AND_STUDY) if (first[key] !== undefined) patientAndStudy[key] = first[key]
  return {
    studyInstanceUid: text(first.StudyInstanceUID),
    seriesInstanceUid: text(first.SeriesInstanceUID),
    frameOfReferenceUid: text(first.FrameOfReferenceUID),
    seriesNumber: first.SeriesNumber === undefined ? null : Number(first.SeriesNumber),
    modality: text(first.Modality),
    patientAndStudy,
    pixelSpacing: [spacing[0] ?? 1, spacing[1] ?? spacing[0] ?? 1],
    sliceThickness: first.SliceThickness === undefined ? null : Number(first.SliceThickness),
    images,
  }
}

function sourceImageOf(d: NaturalDataset): SourceImage | null {
  const position = numbers(d.ImagePositionPatient)
  const orientation = numbers(d.ImageOrientationPatient)
  if (position.length !== 3 || orientation.length !== 6 || !d.SOPInstanceUID || !d.Rows || !d.Columns) return null
  return {
    sopClassUid: text(d.SOPClassUID),
    sopInstanceUid: text(d.SOPInstanceUID),
    position: [position[0], position[1], position[2]],
    rowDirection: [orientation[0], orientation[1], orientation[2]],
    columnDirection: [orientation[3], orientation[4], orientation[5]],
    rows: Number(d.Rows),
    columns: Number(d.Columns),
  }
}

/** dcmjs gives multi-valued attributes as arrays, single values as themselves. */
function numbers(value: unknown): number[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(Number)
}

function text(value: unknown): string {
  return String((Array.isArray(value) ? value[0] : value) ?? '')
}
