/** The brain as a training target (a skull-stripping model's): what the generator marks, on the real heads. */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData } from '../../../testing/realData'
import { MR_NORMALIZATION } from '../../pipeline/intensityNormalization'
import { countNonZero, voxelVolumeMm3 } from '../../volume/volume'
import { createRandom } from '../data/random'
import type { LesionShape } from './lesionBank'
import { createSliceBatches, renderVolume } from './syntheticData'
import { HEAD_CENTRE_MM, sampleSyntheticScan, type AxialPlane } from './syntheticScan'
import type { TissueLabelMap } from './tissueLabels'

/** A 2 mm plane across the whole head. */
const PLANE: AxialPlane = { z: HEAD_CENTRE_MM[2] + 10, x0: -100, y0: -140, spacingMm: 2, columns: 100, rows: 124 }

describeWithRealData('the brain as a target', () => {
  let heads: TissueLabelMap[]
  let shapes: LesionShape[]
  beforeAll(() => {
    ;({ heads, shapes } = generatorInputs())
  }, 120_000)

  it('marks the brain when asked (a skull-stripping target): what skull stripping keeps, every lesion pixel inside it, a brain-sized volume', () => {
    for (let seed = 0; seed < 3; seed++) {
      const [scan, stripped] = [false, true].map((skullStripped) => {
        const s = sampleSyntheticScan({ mode: 'mr', heads, lesions: shapes }, createRandom(seed))
        Object.assign(s.contrast, { skullStripped, noise: 0 })
        return s
      })
      const z = scan.lesionPoint(createRandom(seed))![2]
      const [rendered, brainOnly] = [scan, stripped].map((s) => s.renderPlane({ ...PLANE, z }, createRandom(seed)))
      rendered.brain.forEach((b, i) => {
        expect(brainOnly.image[i] > 0).toBe(b === 1)
        if (rendered.mask[i]) expect(b).toBe(1)
      })
      const brain = renderVolume(scan, 'v', 2, createRandom(seed), undefined, 'brain').mask
      const ml = (countNonZero(brain.data) * voxelVolumeMm3(brain.spacing)) / 1000
      expect(ml).toBeGreaterThan(1000) // parenchyma and ventricles of an adult head, scaled by the random affine
      expect(ml).toBeLessThan(2400)
    }
    const source = createSliceBatches({ mode: 'mr', heads, lesions: shapes, seed: 1, normalization: MR_NORMALIZATION, size: 64, spacingMm: 4, lesionFraction: 0, target: 'brain' })
    const { images, masks } = source.batch(0, 8)
    const brainShare = countNonZero(masks.dataSync()) / masks.size
    expect(brainShare).toBeGreaterThan(0.1) // 256 mm slices across the head: the brain is a large part of most
    expect(brainShare).toBeLessThan(0.6)
    tf.dispose([images, masks])
  })
})
