import { describe, expect, it } from 'vitest'
import { describeWithRealData, readRealFile } from '../../../testing/realData'
import { scanOf } from '../../../testing/pipelineFixtures'
import { diffusionNote, parseBValues, readingNotes, readNiftiScan } from './diffusion'
import { readNifti } from './readNifti'
import { writeNifti } from './writeNifti'

/** A 4-D NIfTI of 2x2x1 voxels, one volume per entry of `frames` (each volume's four voxel values). */
function fourDimensional(frames: readonly number[][]): Uint8Array {
  const stacked = scanOf('dwi', [2, 2, frames.length], [2, 2, 5], [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 5, 0], [0, 0, 0, 1]])
  const bytes = writeNifti({ ...stacked, data: Float32Array.from(frames.flat()), datatype: 'float32' }, { gzip: false })
  const view = new DataView(bytes.buffer)
  view.setInt16(40, 4, true) // dim[0]: four dimensions
  view.setInt16(46, 1, true) // dim[3]: one slice
  view.setInt16(48, frames.length, true) // dim[4]: the volumes (stored after each other, as the slices were)
  return bytes
}

describe('b-values (.bval)', () => {
  it('reads numbers separated by white space, and refuses anything else with the reason', () => {
    expect(parseBValues('0 1000 1000\n1000 \n')).toEqual([0, 1000, 1000, 1000])
    expect(() => parseBValues(' \n')).toThrow('the .bval file is not a list of b-values (it is empty)')
    expect(() => parseBValues('0 b1000')).toThrow("not a list of b-values ('b1000')")
    expect(() => parseBValues('0 -5')).toThrow("('-5')")
  })
})

describe('a diffusion series opens as its trace-weighted image', () => {
  const series = fourDimensional([
    [400, 300, 0, 200], // b = 0
    [8, 27, 5, 4], // three gradient directions at b = 1000 (dcm2niix writes 995-1005)
    [1, 1, 5, 4],
    [1, 1, 0, 4],
  ])

  it('the geometric mean of the volumes at the highest b-value, 0 where any of them is 0, and says so', () => {
    const { volume, diffusion, frameCount } = readNiftiScan(series, 'dwi.nii', { bValues: [0, 1000, 995, 1005] })
    expect(frameCount).toBe(4)
    expect(diffusion).toEqual({ b: 1005, frames: [1, 2, 3], bValues: [0, 1000, 995, 1005] })
    expect(Array.from(volume.data).map((v) => Number(v.toFixed(4)))).toEqual([2, 3, 0, 4])
    expect(volume.dims).toEqual([2, 2, 1])
    expect(volume.modality).toBe('MR')
    expect(diffusionNote(diffusion!)).toBe('diffusion-weighted, b-values 0, 995, 1000, 1005 (4 volumes): the b = 1005 image, the geometric mean of its 3 volumes (the trace)')
  })

  it('a stored trace (one volume at the highest b) opens as it is; a series without weighting, or without b-values, opens its first volume', () => {
    const trace = readNiftiScan(series, 'dwi.nii', { bValues: [0, 500, 1000, 0] })
    expect(Array.from(trace.volume.data)).toEqual([1, 1, 5, 4])
    expect(diffusionNote(trace.diffusion!)).toBe('diffusion-weighted, b-values 0, 500, 1000 (4 volumes): the b = 1000 image, volume 3')
    const unweighted = readNiftiScan(series, 'dwi.nii', { bValues: [0, 0, 0, 0] })
    expect(unweighted.diffusion).toBeNull()
    expect(Array.from(unweighted.volume.data)).toEqual([400, 300, 0, 200])
    const plain = readNiftiScan(series, 'dwi.nii')
    expect(plain.diffusion).toBeNull()
    expect(plain.frameCount).toBe(4)
    expect(Array.from(plain.volume.data)).toEqual([400, 300, 0, 200])
  })

  it('notes say which image was read: the diffusion image (and its .bval), or volume 1 with a hint only where b-values can be added', () => {
    const weighted = readNiftiScan(series, 'dwi.nii', { bValues: [0, 500, 1000, 0] })
    expect(readingNotes(weighted, { bValuesFrom: 'dwi.bval' })).toEqual([`${diffusionNote(weighted.diffusion!)} (b-values from dwi.bval)`])
    expect(readingNotes(weighted)).toEqual([diffusionNote(weighted.diffusion!)])
    const plain = readNiftiScan(series, 'dwi.nii')
    expect(readingNotes(plain, { addBValues: 'drop its .bval with it' })).toEqual(['4-D file with 4 volumes: volume 1 read (a diffusion series? drop its .bval with it to see the highest b-value)'])
    expect(readingNotes(plain)).toEqual(['4-D file with 4 volumes: volume 1 read']) // a NIfTI pair or DICOM: no .bval to drop
    expect(readingNotes({ frameCount: 1, diffusion: null }, { addBValues: 'drop its .bval with it' })).toEqual([])
  })

  it("refuses b-values that belong to another scan, naming both counts", () => {
    expect(() => readNiftiScan(series, 'dwi.nii', { bValues: [0, 1000] })).toThrow('its .bval lists 2 b-values for 4 volumes: it belongs to another scan')
  })
})

describeWithRealData('a real 4-D file read as a diffusion series', () => {
  it('example4d.nii.gz (two volumes, int16) with b-values 0 and 1000 opens its second volume, voxel for voxel, on the same grid', () => {
    const bytes = readRealFile('edge/example4d.nii.gz')
    const second = readNifti(bytes, 'example4d', { frame: 1 }).volume
    const { volume, diffusion } = readNiftiScan(bytes, 'example4d', { bValues: [0, 1000] })
    expect(diffusion?.frames).toEqual([1])
    expect(volume.dims).toEqual(second.dims)
    expect(volume.affine).toEqual(second.affine)
    expect(volume.data).toEqual(second.data)
    expect(volume.data).not.toEqual(readNifti(bytes, 'example4d').volume.data)
  })
})
