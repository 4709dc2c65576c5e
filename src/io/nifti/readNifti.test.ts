import { expect, it } from 'vitest'
import { describeWithRealData, readRealFile } from '../../../testing/realData'
import { applyAffine, orientationCode } from '../../volume/affine'
import { countNonZero, intensityRange } from '../../volume/volume'
import { readNifti } from './readNifti'

/** Every NIfTI file of ../shared/data/real, with what its MANIFEST.md says about it. */
const MANIFEST_CASES = [
  { file: 'mri_t1/chris_t1.nii.gz', dims: [188, 256, 190], voxel: [0.88, 0.88, 0.88], type: 'uint8', le: true, q: 2, s: 2 },
  { file: 'mri_t1/MNI152_2009_template.nii.gz', dims: [193, 229, 193], voxel: [1, 1, 1], type: 'int16', le: true, q: 4, s: 4 },
  { file: 'mri_t1/avg152T1_RL_nifti.nii.gz', dims: [91, 109, 91], voxel: [2, 2, 2], type: 'uint8', le: false, q: 0, s: 4 },
  { file: 'lesion/niivue_flair/FLAIR.nii.gz', dims: [124, 160, 140], voxel: [1, 1, 1], type: 'uint8', le: true, q: 2, s: 2 },
  { file: 'lesion/niivue_flair/lesion.nii.gz', dims: [124, 160, 140], type: 'uint8', nonZero: 1125 + 27069 + 4287 },
  { file: 'lesion/clinical_t2/T2.nii', dims: [156, 175, 146], voxel: [1, 1, 1], type: 'uint8', q: 0, s: 2 },
  { file: 'lesion/clinical_t2/lesionT2.nii', dims: [156, 175, 146], type: 'uint8', nonZero: 37855 },
  { file: 'lesion/mni_template_lesions/betsct1_unsmooth.nii.gz', dims: [181, 217, 181], voxel: [1, 1, 1], type: 'uint8', q: 4, s: 4 },
  { file: 'lesion/mni_template_lesions/M2095_lesion.nii.gz', dims: [181, 217, 181], type: 'uint8', nonZero: 96771 },
  { file: 'lesion/mni_template_lesions/example_lesion.nii.gz', dims: [181, 217, 181], type: 'uint8', nonZero: 180464, q: 0, s: 4 },
  { file: 'edge/example4d.nii.gz', dims: [128, 96, 24], frames: 2, type: 'int16' },
  { file: 'edge/example_nifti2.nii.gz', dims: [32, 20, 12], frames: 2, type: 'int16', version: 2 },
  { file: 'edge/anatomical.nii', dims: [33, 41, 25], voxel: [2, 2, 2], type: 'int16', le: false },
  { file: 'edge/functional.nii', dims: [17, 21, 3], frames: 20, scaled: true },
  { file: 'edge/standard.nii.gz', dims: [4, 5, 7], voxel: [1, 3, 2], type: 'uint8', q: 0, s: 2 },
  { file: 'edge/minimal.nii.gz', dims: [64, 64, 10], voxel: [3, 3, 3], type: 'uint8', le: false, q: 0, s: 0 },
  { file: 'dicom/transfer_syntax/ref_1.nii', dims: [64, 64, 35], voxel: [3.25, 3.25, 3.6], type: 'int16' },
] as const

describeWithRealData('readNifti on the real files of MANIFEST.md', () => {
  it.each(MANIFEST_CASES)('$file', (c) => {
    const { volume, header, frameCount } = readNifti(readRealFile(c.file), c.file)
    expect(volume.dims).toEqual(c.dims)
    expect(volume.data.length).toBe(c.dims[0] * c.dims[1] * c.dims[2])
    expect(frameCount).toBe('frames' in c ? c.frames : 1)
    if ('voxel' in c) c.voxel.forEach((v, i) => expect(volume.spacing[i]).toBeCloseTo(v, 2))
    if ('type' in c) expect(volume.datatype).toBe(c.type)
    if ('le' in c) expect(header.littleEndian).toBe(c.le)
    if ('q' in c) expect([header.qformCode, header.sformCode]).toEqual([c.q, c.s])
    if ('nonZero' in c) expect(countNonZero(volume.data)).toBe(c.nonZero)
    expect(header.version).toBe('version' in c ? c.version : 1)
  })

  it('reads the MNI template behind its header extension (vox_offset 3296)', () => {
    const { header, volume } = readNifti(readRealFile('mri_t1/MNI152_2009_template.nii.gz'), 'mni')
    expect(header.voxOffset).toBe(3296)
    // x = i - 96, y = j - 132, z = k - 78 (MANIFEST grid C)
    expect(applyAffine(volume.affine, [96, 132, 78])).toEqual([0, 0, 0])
    expect(orientationCode(volume.affine)).toBe('RAS')
  })

  it('gives betsct1 the MNI grid A of the lesion-mask MANIFEST: x = i - 90, y = j - 125, z = k - 71', () => {
    const { volume } = readNifti(readRealFile('lesion/mni_template_lesions/betsct1_unsmooth.nii.gz'), 'betsct1')
    expect(applyAffine(volume.affine, [0, 0, 0])).toEqual([-90, -125, -71])
    expect(applyAffine(volume.affine, [10, 20, 30])).toEqual([-80, -105, -41])
  })

  it('decodes big-endian voxels to the same intensities a little-endian reader would see', () => {
    const { volume } = readNifti(readRealFile('mri_t1/avg152T1_RL_nifti.nii.gz'), 'avg152')
    let max = 0
    for (const v of volume.data) max = Math.max(max, v)
    expect(max).toBeGreaterThan(100) // byte-swapped garbage would not look like a T1 template
    expect(max).toBeLessThanOrEqual(255)
    const { volume: anat } = readNifti(readRealFile('edge/anatomical.nii'), 'anatomical')
    // Range read independently with numpy as big-endian int16 ('>i2'); little-endian would give -32763..32561.
    expect(intensityRange(anat.data)).toEqual({ min: -610, max: 30393 })
  })

  it('applies scl_slope/scl_inter (0.0754/3100.76) and reports the scaling', () => {
    const { volume, header } = readNifti(readRealFile('edge/functional.nii'), 'functional')
    expect(volume.datatype).toBe('float32')
    expect(volume.scaling?.slope).toBeCloseTo(0.0754, 4)
    expect(volume.scaling?.intercept).toBeCloseTo(3100.76, 1)
    const raw = new DataView(readRealFile('edge/functional.nii').buffer)
    const firstStored = raw.getInt16(header.voxOffset, header.littleEndian)
    expect(volume.data[0]).toBeCloseTo(firstStored * header.sclSlope + header.sclInter, 3)
  })

  it('reads a chosen volume of a 4-D file', () => {
    const bytes = readRealFile('edge/example4d.nii.gz')
    const first = readNifti(bytes, '4d').volume.data
    const second = readNifti(bytes, '4d', { frame: 1 }).volume.data
    expect(second).not.toEqual(first)
    expect(() => readNifti(bytes, '4d', { frame: 2 })).toThrow(/volume 3 was asked for, the file has 2/)
  })

  it('reads a .hdr + .img pair (magic ni1, vox_offset 0)', () => {
    const hdr = readRealFile('edge/ras.hdr')
    const { volume, header } = readNifti(hdr, 'ras', { imageBytes: readRealFile('edge/ras.img') })
    expect(header.singleFile).toBe(false)
    expect(volume.dims).toEqual([62, 41, 34])
    volume.spacing.forEach((s) => expect(s).toBeCloseTo(2.39, 1))
    expect(() => readNifti(hdr, 'ras')).toThrow(/drop the .hdr together with its .img/)
  })

  it('falls back to pixdim scaling when a file has neither qform nor sform', () => {
    const { volume, orientationSource } = readNifti(readRealFile('edge/minimal.nii.gz'), 'minimal')
    expect(orientationSource).toBe('none')
    expect(volume.affine[0][0]).toBeCloseTo(3)
    expect(volume.affine[2][2]).toBeCloseTo(3)
  })

  it('uses the sform of an oblique, SPM-realigned FLAIR', () => {
    const { orientationSource, volume } = readNifti(readRealFile('lesion/niivue_flair/FLAIR.nii.gz'), 'flair')
    expect(orientationSource).toBe('sform')
    expect(volume.modality).toBe('MR')
  })
})
