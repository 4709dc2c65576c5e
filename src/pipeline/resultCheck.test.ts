import { describe, expect, it } from 'vitest'
import { readNifti } from '../io/nifti/readNifti'
import { binaryMaskFrom, type Volume } from '../volume/volume'
import { describeWithRealData, readRealFile } from '../../testing/realData'
import { CT_NORMALIZATION, MR_NORMALIZATION } from './intensityNormalization'
import { checkResult, RESULT_LIMITS, resultWarning } from './resultCheck'

const read = (path: string): Volume => readNifti(readRealFile(path), path).volume

/** A mask on `scan`'s grid marking the voxels `mark` chooses. */
function maskOn(scan: Volume, mark: (i: number, j: number, k: number, value: number) => boolean): Volume {
  const [nx, ny, nz] = scan.dims
  const data = new Uint8Array(nx * ny * nz)
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) data[i + nx * (j + ny * k)] = mark(i, j, k, scan.data[i + nx * (j + ny * k)]) ? 1 : 0
  return { ...scan, data, datatype: 'uint8', scaling: null, modality: 'unknown' }
}

describeWithRealData('checkResult on real stroke scans', () => {
  for (const [scanFile, maskFile] of [
    ['lesion/niivue_flair/FLAIR.nii.gz', 'lesion/niivue_flair/lesion.nii.gz'],
    ['lesion/clinical_t2/T2.nii', 'lesion/clinical_t2/lesionT2.nii'],
  ]) {
    it(`finds nothing wrong with the expert mask of ${scanFile}`, () => {
      const check = checkResult(read(scanFile), binaryMaskFrom(read(maskFile)), MR_NORMALIZATION)
      expect(check.warnings).toEqual([])
      expect(check.lesionMl).toBeGreaterThan(30)
      expect(check.headMl).toBeGreaterThan(900)
      expect(check.outsideHeadShare).toBeLessThan(0.2)
      expect(resultWarning(check, 'the model')).toBeNull()
    })
  }

  it('says so when the mask is the air around the head, the whole head, or specks', () => {
    const t2 = read('lesion/clinical_t2/T2.nii')
    const headAbove = 0.1 * 255 // below any tissue of this uint8 scan, above its air
    const air = checkResult(t2, maskOn(t2, (_i, _j, _k, v) => v < 1), MR_NORMALIZATION)
    expect(air.outsideHeadShare).toBeGreaterThan(0.9)
    expect(air.warnings.join('; ')).toMatch(/^the mask \(\d+ mL\) is \d+ % of the head \(\d+ mL\): no stroke is that large; \d+ % of the mask lies outside the head/)

    const wholeHead = checkResult(t2, maskOn(t2, (_i, _j, _k, v) => v > headAbove), MR_NORMALIZATION)
    expect(wholeHead.lesionMl / wholeHead.headMl).toBeGreaterThan(RESULT_LIMITS.lesionShareOfHead)
    expect(wholeHead.warnings[0]).toMatch(/% of the head .*: no stroke is that large$/)
    expect(wholeHead.warnings.join()).not.toMatch(/outside the head/)

    const specks = checkResult(t2, maskOn(t2, (i, j, k, v) => v > headAbove && i % 8 === 0 && j % 8 === 0 && k % 8 === 0), MR_NORMALIZATION)
    expect(specks.lesions).toBeGreaterThan(RESULT_LIMITS.lesions)
    expect(specks.warnings).toEqual([`the mask falls apart into ${specks.lesions} separate pieces: strokes come as one or a few lesions`])
    expect(resultWarning(specks, 'StrokeSeg MR')).toMatch(/^This result cannot be right: the mask falls apart .*StrokeSeg MR may not fit this scan/)
  })
})

describe('checkResult', () => {
  it('takes CT air by its Hounsfield value and an empty mask as plausible', () => {
    const dims: [number, number, number] = [10, 10, 10]
    const data = new Float32Array(1000).map((_, i) => (i % 10 < 5 ? -1000 : 30)) // half air, half brain
    const ct: Volume = { name: 'ct', dims, spacing: [1, 1, 1], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], data, datatype: 'float32', scaling: null, modality: 'CT' }
    expect(checkResult(ct, maskOn(ct, () => false), CT_NORMALIZATION)).toEqual({ lesionMl: 0, headMl: 0.5, outsideHeadShare: 0, lesions: 0, warnings: [] })
    const inAir = checkResult(ct, maskOn(ct, (i, j, k) => i === 1 && j < 3 && k < 3), CT_NORMALIZATION)
    expect(inAir.outsideHeadShare).toBe(1)
    expect(inAir.warnings).toEqual(['100 % of the mask lies outside the head, where the scan shows only background'])
  })
})
