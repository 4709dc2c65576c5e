import { describe, expect, it } from 'vitest'
import { correctionsOf } from './convertDicom'

describe('correctionsOf (dcm2niix output names)', () => {
  it.each([
    ['2_.nii', '2_', []],
    ['2__Tilt_1.nii', '2_', ['gantry tilt']],
    ['2__Eq_1.nii', '2_', ['uneven slice spacing']],
    ['2__Tilt_Eq_1.nii', '2_', ['gantry tilt', 'uneven slice spacing']],
    ['5_T1 MPRAGE.nii', '5_T1 MPRAGE', []],
  ])('%s', (name, base, corrections) => {
    expect(correctionsOf(name)).toEqual({ base, corrections })
  })
})
