/** Synthetic volumes cut to their scan's field of view (make-data --crop-to-field-of-view), on the real heads. */
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData } from '../../../testing/realData'
import { applyAffine } from '../../volume/affine'
import { countNonZero, voxelCount } from '../../volume/volume'
import { createRandom } from '../data/random'
import type { LesionShape } from './lesionBank'
import { cropToFieldOfView, renderVolume } from './syntheticData'
import { sampleSyntheticScan } from './syntheticScan'
import type { TissueLabelMap } from './tissueLabels'

describeWithRealData('volumes cut to the field of view', () => {
  let heads: TissueLabelMap[]
  let shapes: LesionShape[]
  beforeAll(() => {
    ;({ heads, shapes } = generatorInputs())
  }, 120_000)

  it('keep exactly the voxels inside the box, with their values and world positions, and every lesion voxel', () => {
    for (let seed = 0; seed < 3; seed++) {
      const scan = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes, fieldOfViewShare: 1 }, createRandom(seed))
      const fov = scan.fieldOfView!
      const whole = renderVolume(scan, 'v', 4, createRandom(seed), 4)
      const { image, mask } = cropToFieldOfView(whole)
      expect(voxelCount(image.dims)).toBeLessThan(voxelCount(whole.image.dims))
      expect(countNonZero(mask.data)).toBe(countNonZero(whole.mask.data)) // no lesion beyond the field of view
      const [nx, ny, nz] = image.dims
      const [low, high] = [applyAffine(image.affine, [0, 0, 0]), applyAffine(image.affine, [nx - 1, ny - 1, nz - 1])]
      const [gridLow, gridHigh] = [applyAffine(whole.image.affine, [0, 0, 0]), applyAffine(whole.image.affine, [whole.image.dims[0] - 1, whole.image.dims[1] - 1, whole.image.dims[2] - 1])]
      for (let a = 0; a < 3; a++) {
        expect(low[a]).toBeGreaterThanOrEqual(fov[a][0]) // inside the box ...
        expect(high[a]).toBeLessThanOrEqual(fov[a][1])
        expect(low[a] - image.spacing[a]).toBeLessThan(Math.max(fov[a][0], gridLow[a] - 0.01)) // ... and all of it that the grid reaches
        expect(high[a] + image.spacing[a]).toBeGreaterThan(Math.min(fov[a][1], gridHigh[a] + 0.01))
      }
      const shift = [0, 1, 2].map((a) => Math.round((low[a] - whole.image.affine[a][3]) / whole.image.spacing[a]))
      for (let k = 0; k < nz; k += 3) {
        for (let j = 0; j < ny; j += 2) {
          for (let i = 0; i < nx; i++) {
            const at = i + nx * (j + ny * k)
            const from = i + shift[0] + whole.image.dims[0] * (j + shift[1] + whole.image.dims[1] * (k + shift[2]))
            expect(image.data[at]).toBe(whole.image.data[from])
            expect(mask.data[at]).toBe(whole.mask.data[from])
          }
        }
      }
    }
    const unbounded = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes }, createRandom(0))
    const volume = renderVolume(unbounded, 'v', 4, createRandom(0), 4)
    expect(cropToFieldOfView(volume)).toBe(volume)
  })
})
