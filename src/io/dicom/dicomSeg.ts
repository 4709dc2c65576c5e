/**
 * A lesion mask as a DICOM Segmentation object (Segmentation Storage, BINARY) that a PACS and other viewers can
 * place over the source series, and back. One segment, "Lesion"; one frame per source image that holds lesion,
 * each referencing that image's SOP instance; the study, the frame of reference and the series referenced.
 * dcmjs encodes the dataset (and packs the bits); this module decides what goes in it.
 */
import { data as dicomData, type NaturalDataset } from 'dcmjs'
import type { Volume } from '../../volume/volume'
import { readDicomDataset, SEGMENTATION_STORAGE, type DicomSeries } from './dicomSeries'
import { seriesOnVolume } from './seriesOnVolume'

/** Who made the mask: a model (its name and version) or a person (MANUAL, also after hand corrections). */
export interface SegAuthor {
  /** null: drawn or corrected by hand. */
  readonly algorithm: { readonly name: string; readonly version: string } | null
  readonly seriesDescription: string
}

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'
const code = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string) => ({ CodeValue, CodingSchemeDesignator, CodeMeaning })
const LESION_CATEGORY = code('49755003', 'SCT', 'Morphologically Altered Structure')
const LESION_TYPE = code('52988006', 'SCT', 'Lesion')
const BRAIN = code('12738006', 'SCT', 'Brain')
const SOURCE_IMAGE_PURPOSE = code('121322', 'DCM', 'Source image for image processing operation')
const SEGMENTATION_DERIVATION = code('113076', 'DCM', 'Segmentation')
/** Attribute tags as dcmjs writes AT values: (0062,000B) Referenced Segment Number in (0062,000A); (0020,0032) in (0020,9113). */
const TAGS = { referencedSegmentNumber: 0x0062000b, segmentIdentification: 0x0062000a, imagePosition: 0x00200032, planePosition: 0x00209113 }

function dicomDateTime(now: Date): { date: string; time: string } {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return { date: `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`, time: `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}` }
}

/** The SEG of `mask` (on the grid of the volume made from `series`), as the bytes of a .dcm file. */
export function writeDicomSeg(mask: Volume, series: DicomSeries, author: SegAuthor, now = new Date()): Uint8Array {
  const onVolume = seriesOnVolume(series, mask)
  const { rows, columns } = series.images[0]
  const frames: Array<{ image: number; pixels: Uint8Array }> = []
  series.images.forEach((_, image) => {
    const pixels = new Uint8Array(rows * columns)
    let any = false
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        if (mask.data[onVolume.voxelOf(image, r, c)] > 0) {
          pixels[r * columns + c] = 1
          any = true
        }
      }
    }
    if (any) frames.push({ image, pixels })
  })
  if (frames.length === 0) throw new Error('the mask is empty: there is nothing to put in a DICOM SEG')
  const all = new Uint8Array(frames.length * rows * columns)
  frames.forEach((f, n) => all.set(f.pixels, n * rows * columns))

  const { date, time } = dicomDateTime(now)
  const sopInstanceUid = dicomData.DicomMetaDictionary.uid()
  const dimensionOrganizationUid = dicomData.DicomMetaDictionary.uid()
  const manual = author.algorithm === null
  const dataset: NaturalDataset = {
    _meta: { TransferSyntaxUID: { Value: [EXPLICIT_VR_LITTLE_ENDIAN] } },
    _vrMap: { PixelData: 'OB' }, // one bit per pixel: bytes
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    ...series.patientAndStudy,
    StudyInstanceUID: series.studyInstanceUid,
    Modality: 'SEG',
    SeriesInstanceUID: dicomData.DicomMetaDictionary.uid(),
    SeriesNumber: 300 + (series.seriesNumber ?? 0),
    SeriesDescription: author.seriesDescription,
    SeriesDate: date,
    SeriesTime: time,
    FrameOfReferenceUID: series.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    Manufacturer: 'StrokeSeg',
    ManufacturerModelName: 'StrokeSeg',
    DeviceSerialNumber: '1',
    SoftwareVersions: author.algorithm?.version ?? 'StrokeSeg',
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    ContentLabel: 'LESION',
    ContentDescription: author.seriesDescription,
    ContentCreatorName: manual ? 'StrokeSeg^Manual' : 'StrokeSeg^Model',
    ImageType: ['DERIVED', 'PRIMARY'],
    LossyImageCompression: '00',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    SegmentationType: 'BINARY',
    NumberOfFrames: frames.length,
    SegmentSequence: [
      {
        SegmentNumber: 1,
        SegmentLabel: 'Lesion',
        SegmentDescription: 'Stroke lesion',
        SegmentAlgorithmType: manual ? 'MANUAL' : 'AUTOMATIC',
        ...(manual ? {} : { SegmentAlgorithmName: `${author.algorithm!.name} ${author.algorithm!.version}` }),
        SegmentedPropertyCategoryCodeSequence: [LESION_CATEGORY],
        SegmentedPropertyTypeCodeSequence: [LESION_TYPE],
        AnatomicRegionSequence: [BRAIN],
        RecommendedDisplayCIELabValue: [33686, 54534, 52436], // red
      },
    ],
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionIndexSequence: [
      { DimensionOrganizationUID: dimensionOrganizationUid, DimensionIndexPointer: TAGS.referencedSegmentNumber, FunctionalGroupPointer: TAGS.segmentIdentification, DimensionDescriptionLabel: 'ReferencedSegmentNumber' },
      { DimensionOrganizationUID: dimensionOrganizationUid, DimensionIndexPointer: TAGS.imagePosition, FunctionalGroupPointer: TAGS.planePosition, DimensionDescriptionLabel: 'ImagePositionPatient' },
    ],
    SharedFunctionalGroupsSequence: [
      {
        PixelMeasuresSequence: [{ PixelSpacing: [...series.pixelSpacing], ...(series.sliceThickness === null ? {} : { SliceThickness: series.sliceThickness }) }],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map(({ image }, n) => {
      const source = series.images[image]
      return {
        DerivationImageSequence: [
          {
            SourceImageSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid, PurposeOfReferenceCodeSequence: [SOURCE_IMAGE_PURPOSE] }],
            DerivationCodeSequence: [SEGMENTATION_DERIVATION],
          },
        ],
        FrameContentSequence: [{ DimensionIndexValues: [1, n + 1] }],
        PlanePositionSequence: [{ ImagePositionPatient: [...source.position] }],
        PlaneOrientationSequence: [{ ImageOrientationPatient: [...source.rowDirection, ...source.columnDirection] }],
        SegmentIdentificationSequence: [{ ReferencedSegmentNumber: 1 }],
      }
    }),
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: series.seriesInstanceUid,
        ReferencedInstanceSequence: series.images.map((im) => ({ ReferencedSOPClassUID: im.sopClassUid, ReferencedSOPInstanceUID: im.sopInstanceUid })),
      },
    ],
    PixelData: dicomData.BitArray.pack(all).buffer,
  }
  return new Uint8Array(dicomData.datasetToDict(dataset).write())
}

/** What a SEG file gives back: the mask on the volume's grid and how to name it. */
export interface ReadSeg {
  readonly mask: Volume
  readonly label: string
}

/** A DICOM SEG of `series` as a mask on `volume` (the volume made from that series): every segment is lesion. */
export function readDicomSeg(bytes: Uint8Array, name: string, series: DicomSeries, volume: Volume): ReadSeg {
  const seg = readDicomDataset(bytes, true)
  if (!seg || seg.SOPClassUID !== SEGMENTATION_STORAGE) throw new Error('not a DICOM Segmentation object')
  if (seg.SegmentationType !== 'BINARY') throw new Error(`a ${String(seg.SegmentationType).toLowerCase()} segmentation; StrokeSeg reads binary ones`)
  const referenced = (seg.ReferencedSeriesSequence as NaturalDataset[] | undefined)?.[0]?.SeriesInstanceUID
  if (referenced && referenced !== series.seriesInstanceUid) throw new Error('it belongs to another series than the scan shown')
  const onVolume = seriesOnVolume(series, volume)
  const [rows, columns] = [Number(seg.Rows), Number(seg.Columns)]
  if (rows !== series.images[0].rows || columns !== series.images[0].columns) throw new Error(`its frames are ${columns}x${rows}, the series' images ${series.images[0].columns}x${series.images[0].rows}`)
  const pixelData = seg.PixelData as ArrayBuffer | ArrayBuffer[] | undefined
  const packed = Array.isArray(pixelData) ? pixelData[0] : pixelData
  if (!packed) throw new Error('it holds no pixel data')
  const bits = dicomData.BitArray.unpack(packed)
  const imageOf = new Map(series.images.map((im, index) => [im.sopInstanceUid, index]))
  const frames = (seg.PerFrameFunctionalGroupsSequence as NaturalDataset[] | undefined) ?? []
  const data = new Uint8Array(volume.data.length)
  frames.forEach((frame, f) => {
    const derivation = (frame.DerivationImageSequence as NaturalDataset[] | undefined)?.[0]
    const sourceUid = (derivation?.SourceImageSequence as NaturalDataset[] | undefined)?.[0]?.ReferencedSOPInstanceUID
    const image = imageOf.get(String(sourceUid))
    if (image === undefined) throw new Error(`frame ${f + 1} refers to an image that is not in the series`)
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) if (bits[f * rows * columns + r * columns + c]) data[onVolume.voxelOf(image, r, c)] = 1
    }
  })
  return { mask: { ...volume, name, data, datatype: 'uint8', scaling: null, modality: 'unknown' }, label: `${name} (DICOM SEG, ${frames.length} frames)` }
}
