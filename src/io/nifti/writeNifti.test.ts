import { describe, expect, it } from 'vitest'
import { describeWithRealData, readRealFile } from '../../../testing/realData'
import type { Affine } from '../../volume/affine'
import type { Volume } from '../../volume/volume'
import { expectSameVoxels } from '../../../testing/expectations'
import { NiftiFormatError } from './header'
import { readNifti } from './readNifti'
import { quaternionOf, writeNifti } from './writeNifti'

function syntheticVolume(affine: Affine): Volume {
  // shape: [nz=4, ny=3, nx=5], x fastest
  const data = new Int16Array(5 * 3 * 4).map((_, i) => i * 7 - 100)
  return { name: 'synthetic', dims: [5, 3, 4], spacing: [0.5, 2, 3], affine, data, datatype: 'int16', scaling: null, modality: 'MR' }
}

const OBLIQUE: Affine = [
  [0, 0, 3, -10], // k -> +x
  [-0.5, 0, 0, 20], // i -> -y
  [0, 2, 0, 5], // j -> +z
  [0, 0, 0, 1],
]

describe('writeNifti -> readNifti round trip', () => {
  it.each([true, false])('keeps voxels, dims, spacing and affine (gzip %s)', (gzip) => {
    const volume = syntheticVolume(OBLIQUE)
    const { volume: back, header, orientationSource } = readNifti(writeNifti(volume, { gzip }), 'x.nii')
    expect(back.dims).toEqual(volume.dims)
    expect(back.spacing).toEqual(volume.spacing)
    expect(back.affine).toEqual(volume.affine)
    expectSameVoxels(back.data, volume.data)
    expect(back.datatype).toBe('int16')
    expect(orientationSource).toBe('sform')
    expect(header.sclSlope).toBe(1)
  })

  it('writes a qform equivalent to the affine when it is rigid', () => {
    const volume = syntheticVolume(OBLIQUE)
    const bytes = writeNifti(volume, { gzip: false })
    bytes[254] = 0 // sform_code = 0: readers must now use the qform
    const { volume: back, orientationSource } = readNifti(bytes, 'x.nii')
    expect(orientationSource).toBe('qform')
    back.affine.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(OBLIQUE[r][c], 5)))
  })

  it('encodes a left-handed (radiological) affine with qfac -1', () => {
    const lps: Affine = [
      [-1, 0, 0, 90],
      [0, -1, 0, 120],
      [0, 0, 1, -60],
      [0, 0, 0, 1],
    ]
    expect(quaternionOf(lps)).toEqual({ quatern: [0, 0, 1], qoffset: [90, 120, -60], qfac: 1 })
    const flipped: Affine = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, -1, 0],
      [0, 0, 0, 1],
    ]
    expect(quaternionOf(flipped).qfac).toBe(-1)
  })
})

describeWithRealData('round trip of real files', () => {
  it.each(['lesion/niivue_flair/FLAIR.nii.gz', 'mri_t1/avg152T1_RL_nifti.nii.gz', 'edge/functional.nii', 'edge/example_nifti2.nii.gz'])(
    '%s',
    (file) => {
      const first = readNifti(readRealFile(file), file).volume
      const second = readNifti(writeNifti(first), file).volume
      expect(second.dims).toEqual(first.dims)
      expect(second.affine).toEqual(first.affine.map((row) => row.map((v) => Math.fround(v))))
      expectSameVoxels(second.data, first.data)
    },
  )
})

describe('bad NIfTI input gets a message that names the cause', () => {
  const good = () => writeNifti(syntheticVolume(OBLIQUE), { gzip: false })
  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['a text file', () => new TextEncoder().encode('patient notes: not an image\n'.repeat(20)), /not a NIfTI file/],
    ['an empty file', () => new Uint8Array(0), /too short for a NIfTI header/],
    ['truncated voxels', (b) => b.slice(0, b.length - 10), /truncated or its dims are wrong/],
    ['dims of 0', (b) => withInt16(b, 42, 0), /dim\[1\] is 0/],
    ['dims of 30000 (more voxels than the file holds)', (b) => withInt16(b, 42, 30000), /truncated or its dims are wrong/],
    ['a negative dim', (b) => withInt16(b, 44, -5), /dim\[2\] is -5/],
    ['unknown datatype', (b) => withInt16(b, 70, 99), /unknown voxel datatype code 99/],
    ['RGB datatype', (b) => withInt16(b, 70, 128), /RGB24 .* is not supported/],
    ['pixdim NaN and no usable affine', (b) => zeroOrientation(withFloat32(b, 80, NaN)), /voxel size .* is zero or not a number/],
  ]
  it.each(cases)('%s', (_, corrupt, message) => {
    expect(() => readNifti(corrupt(good()), 'bad.nii')).toThrow(NiftiFormatError)
    expect(() => readNifti(corrupt(good()), 'bad.nii')).toThrow(message)
  })

  it('a truncated .nii.gz', () => {
    const gz = writeNifti(syntheticVolume(OBLIQUE), { gzip: true })
    expect(() => readNifti(gz.slice(0, gz.length / 2), 'bad.nii.gz')).toThrow(/gzip data is damaged or truncated/)
  })

  it('pixdim 0 with a usable sform takes the voxel size from the sform', () => {
    const { volume } = readNifti(withFloat32(good(), 80, 0), 'x.nii')
    expect(volume.spacing).toEqual([0.5, 2, 3])
  })
})

function withInt16(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice()
  new DataView(copy.buffer).setInt16(offset, value, true)
  return copy
}

function withFloat32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice()
  new DataView(copy.buffer).setFloat32(offset, value, true)
  return copy
}

/** qform_code = sform_code = 0 and pixdim[2..3] = 0, so nothing gives a voxel size for axis 0. */
function zeroOrientation(bytes: Uint8Array): Uint8Array {
  return withInt16(withInt16(bytes, 252, 0), 254, 0)
}
