import { describe, expect, it } from 'vitest'
import { lesionCsv } from './lesionCsv'

describe('lesionCsv', () => {
  it('writes a header and one row per lesion, largest first, in the units named', () => {
    const lesion = { voxels: 10, volumeMl: 1.23456, centerVoxel: [1, 2, 3], centerMm: [-20.04, 5, 31.26], focusVoxel: [1, 2, 3], diameterMm: 17.26, slices: [4, 9], hemisphere: 'left', meanValue: 28.44 } as const
    const csv = lesionCsv({ voxels: 12, volumeMl: 1.5, lesions: [lesion, { ...lesion, volumeMl: 0.2, hemisphere: 'both', slices: [5, 5] }] }, 'HU')
    expect(csv.split('\n')).toEqual([
      'lesion,volume_ml,largest_diameter_mm,first_slice_k,last_slice_k,hemisphere,mean_value_hu,center_x_mm,center_y_mm,center_z_mm',
      '1,1.235,17.3,4,9,left,28.4,-20.0,5.0,31.3',
      '2,0.200,17.3,5,5,both,28.4,-20.0,5.0,31.3',
      '',
    ])
    expect(lesionCsv({ voxels: 0, volumeMl: 0, lesions: [] }, '').split('\n')[0]).toContain(',mean_value,')
  })
})
