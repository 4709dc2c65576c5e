import { readdirSync } from 'node:fs'
import { expect, it } from 'vitest'
import { describeWithRealData, readRealFile, realFile } from '../../../testing/realData'
import type { Affine } from '../../volume/affine'
import type { Volume } from '../../volume/volume'
import { readDicomDataset, sortDroppedDicom, type DicomSeries } from './dicomSeries'
import { sliceNormal } from './seriesOnVolume'
import { readDicomSeg, writeDicomSeg } from './dicomSeg'

const CT_DIR = 'ct/ge_head_ct_tilt'

describeWithRealData('DICOM SEG of the real tilted head CT', () => {
  const files = readdirSync(realFile(CT_DIR)).map((name) => ({ name, path: name, bytes: readRealFile(`${CT_DIR}/${name}`) }))
  const dropped = sortDroppedDicom(files)
  const series = dropped.series[0]

  it('reads the series\' headers: 28 images ordered along the slice normal, with their UIDs', () => {
    expect(dropped.series).toHaveLength(1)
    expect(dropped.segmentations).toHaveLength(0)
    expect(dropped.imageFiles).toHaveLength(28)
    expect(series.images).toHaveLength(28)
    expect(new Set(series.images.map((im) => im.sopInstanceUid)).size).toBe(28)
    const normal = sliceNormal(series.images[0])
    const along = series.images.map((im) => im.position[0] * normal[0] + im.position[1] * normal[1] + im.position[2] * normal[2])
    expect(along).toEqual([...along].sort((a, b) => a - b))
    expect(series.frameOfReferenceUid).toMatch(/^[\d.]+$/)
  })

  it('writes a mask as a binary SEG whose frames reference their images, and reads it back voxel for voxel', () => {
    const volume = volumeLikeDcm2niix(series)
    const mask: Volume = { ...volume, data: new Uint8Array(volume.data.length) }
    const lesion = [[100, 200, 3], [101, 200, 3], [300, 40, 3], [250, 250, 20]] as const
    for (const [i, j, k] of lesion) mask.data[i + 512 * (j + 512 * k)] = 1
    const bytes = writeDicomSeg(mask, series, { algorithm: { name: 'StrokeSeg CT', version: '2026-11-30' }, seriesDescription: 'StrokeSeg lesion' })
    const seg = readDicomDataset(bytes, true)!
    expect(seg.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.66.4')
    expect(seg.StudyInstanceUID).toBe(series.studyInstanceUid)
    expect(seg.FrameOfReferenceUID).toBe(series.frameOfReferenceUid)
    expect(seg.NumberOfFrames).toBe(2) // slices 3 and 20
    const frames = seg.PerFrameFunctionalGroupsSequence as Array<Record<string, Array<Record<string, Array<Record<string, unknown>>>>>>
    const referenced = frames.map((f) => f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
    expect(referenced).toEqual([series.images[3].sopInstanceUid, series.images[20].sopInstanceUid])
    expect((seg.SegmentSequence as Array<Record<string, unknown>>)[0]).toMatchObject({ SegmentAlgorithmType: 'AUTOMATIC', SegmentAlgorithmName: 'StrokeSeg CT 2026-11-30' })

    const back = readDicomSeg(bytes, 'lesion_seg.dcm', series, volume)
    expect(Array.from(back.mask.data.keys()).filter((i) => back.mask.data[i])).toEqual(Array.from(mask.data.keys()).filter((i) => mask.data[i]))
    expect(back.label).toBe('lesion_seg.dcm (DICOM SEG, 2 frames)')
  })

  it('says MANUAL for a mask drawn or corrected by hand, and refuses what it cannot write or read', () => {
    const volume = volumeLikeDcm2niix(series)
    const mask: Volume = { ...volume, data: new Uint8Array(volume.data.length).fill(0) }
    expect(() => writeDicomSeg(mask, series, { algorithm: null, seriesDescription: 'x' })).toThrow('the mask is empty')
    mask.data[5] = 1
    const seg = readDicomDataset(writeDicomSeg(mask, series, { algorithm: null, seriesDescription: 'x' }))!
    expect((seg.SegmentSequence as Array<Record<string, unknown>>)[0].SegmentAlgorithmType).toBe('MANUAL')
    const smaller: Volume = { ...volume, dims: [512, 512, 27], data: new Uint8Array(512 * 512 * 27) }
    expect(() => writeDicomSeg({ ...smaller, data: smaller.data.fill(1) }, series, { algorithm: null, seriesDescription: 'x' })).toThrow('is not the volume shown (512x512x27)')
    expect(() => readDicomSeg(readRealFile(`${CT_DIR}/01.dcm`), '01.dcm', series, volume)).toThrow('not a DICOM Segmentation object')
  })
})

/**
 * The grid dcm2niix writes for an axial series: columns along the row direction, rows flipped (j = rows - 1 - r),
 * slices along the normal; RAS affine from the first image (uniform spacing, as dcm2niix assumes).
 */
function volumeLikeDcm2niix(series: DicomSeries): Volume {
  const first = series.images[0]
  const [dx, dy] = series.pixelSpacing
  const ras = ([x, y, z]: readonly number[]) => [-x, -y, z]
  const [r, c, n] = [ras(first.rowDirection), ras(first.columnDirection), ras(sliceNormal(first))]
  const origin = ras(first.position).map((v, a) => v + (first.rows - 1) * dy * c[a])
  const affine: Affine = [
    [r[0] * dx, -c[0] * dy, n[0] * 4, origin[0]],
    [r[1] * dx, -c[1] * dy, n[1] * 4, origin[1]],
    [r[2] * dx, -c[2] * dy, n[2] * 4, origin[2]],
    [0, 0, 0, 1],
  ]
  return { name: 'ct', dims: [first.columns, first.rows, series.images.length], spacing: [dx, dy, 4], affine, data: new Int16Array(first.columns * first.rows * series.images.length), datatype: 'int16', scaling: null, modality: 'CT' }
}
