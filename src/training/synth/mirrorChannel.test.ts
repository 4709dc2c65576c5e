/**
 * The mirror channel on synthetic heads, whose midline the generator knows: segmentation finds it from the scan
 * (estimateMidline), and the mirror that training draws (the plane drawn at its reflection about the head's
 * midline) is the mirror that segmentation makes of the slice (withMirrorChannel), up to the noise.
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData } from '../../../testing/realData'
import { sliceGeometry, slicesWithHead } from '../../pipeline/axialSlices'
import { analyzeIntensities, CT_NORMALIZATION, MR_NORMALIZATION } from '../../pipeline/intensityNormalization'
import { estimateMidline, mirrorTransformOf, withMirrorChannel } from '../../pipeline/midline'
import { selectBackend } from '../backend/selectBackend'
import { createRandom } from '../data/random'
import { alongRasAxis, rasReorientation } from '../../volume/rasReorientation'
import type { LesionShape } from './lesionBank'
import { createSliceBatches, reflectedPlane, renderVolume } from './syntheticData'
import { HEAD_CENTRE_MM, sampleSyntheticScan, type AxialPlane } from './syntheticScan'
import type { TissueLabelMap } from './tissueLabels'

function correlation(a: ArrayLike<number>, b: ArrayLike<number>, where: (i: number) => boolean): number {
  let [n, sa, sb, saa, sbb, sab] = [0, 0, 0, 0, 0, 0]
  for (let i = 0; i < a.length; i++) {
    if (!where(i)) continue
    n++
    sa += a[i]
    sb += b[i]
    saa += a[i] * a[i]
    sbb += b[i] * b[i]
    sab += a[i] * b[i]
  }
  return (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2))
}

describeWithRealData('the mirror channel on synthetic heads', () => {
  let heads: TissueLabelMap[]
  let shapes: LesionShape[]
  beforeAll(async () => {
    ;({ heads, shapes } = generatorInputs())
    await selectBackend('wasm')
  }, 120_000)

  it("segmentation finds the generator's midline: within 3 degrees and 2 mm, CT and MR", { timeout: 120_000 }, () => {
    for (const mode of ['ct', 'mr'] as const) {
      for (const seed of [1, 2]) {
        const scan = sampleSyntheticScan({ mode, heads, lesions: shapes }, createRandom(seed))
        const { image } = renderVolume(scan, 'midline', 2, createRandom(seed + 100), 5)
        const orientation = rasReorientation(image.affine, image.dims, image.spacing)
        const { mapping, headCounts } = analyzeIntensities(image, mode === 'ct' ? CT_NORMALIZATION : MR_NORMALIZATION)
        const slices = slicesWithHead(alongRasAxis(headCounts, orientation, 2), sliceGeometry(orientation.dims, orientation.spacing, 2, 16))
        const found = estimateMidline(image, orientation, mapping, slices)
        const truth = scan.midlineAt(image.affine[2][3] + image.affine[2][2] * slices[Math.floor(slices.length / 2)])
        const [x0, y0] = [image.affine[0][3], image.affine[1][3]] // renderVolume's grid: RAS, axis-aligned
        const offset = (truth.x - x0 - found.x) * Math.cos(found.angle) - (truth.y - y0 - found.y) * Math.sin(found.angle)
        expect(Math.abs(((found.angle - truth.angle) * 180) / Math.PI), `${mode} ${seed}`).toBeLessThan(3)
        expect(Math.abs(offset), `${mode} ${seed}`).toBeLessThan(2)
      }
    }
  })

  it("training's mirror of a slice is segmentation's mirror of it, up to the noise", { timeout: 30_000 }, () => {
    const before = tf.memory().numTensors
    const scan = sampleSyntheticScan({ mode: 'ct', heads, lesions: shapes }, createRandom(3))
    const plane: AxialPlane = { z: HEAD_CENTRE_MM[2] + 10, x0: -100, y0: -140, spacingMm: 2, columns: 100, rows: 124 }
    const slice = scan.renderPlane(plane, createRandom(1)).image
    const drawn = scan.renderPlane(reflectedPlane(plane, scan.midlineAt(plane.z)), createRandom(2)).image
    const truth = scan.midlineAt(plane.z)
    const geometry = sliceGeometry([100, 124, 1], [2, 2, 2], 2, 1)
    const transform = mirrorTransformOf({ ...truth, x: truth.x - plane.x0, y: truth.y - plane.y0 }, geometry, [2, 2])
    const difference = tf.tidy(() => tf.split(withMirrorChannel(tf.tensor4d(slice, [1, 124, 100, 1]), transform, -1024), 2, 3)[1].dataSync())
    const made = Float32Array.from(slice, (v, i) => v - difference[i]) // the reflection segmentation made
    const head = (i: number) => drawn[i] > -500
    expect(correlation(drawn, made, head)).toBeGreaterThan(0.8)
    expect(correlation(drawn, slice, head)).toBeLessThan(correlation(drawn, made, head) - 0.2) // the slice itself: not its mirror
    // Inside the brain, where the noise weighs most, the two mirrors match best where they lie (not a pixel off).
    const brain = (i: number) => drawn[i] > 0 && drawn[i] < 80
    const shifted = (by: number) => Float32Array.from(made, (_, i) => made[i + by] ?? 0)
    for (const by of [-100, -1, 1, 100]) expect(correlation(drawn, shifted(by), brain)).toBeLessThan(correlation(drawn, made, brain) - 0.05)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('training batches of a model with the mirror channel: the scan channel as without it, then the scan minus its mirror', () => {
    const common = { mode: 'ct', heads, lesions: shapes, seed: 4, normalization: CT_NORMALIZATION, size: 64, spacingMm: 2, lesionFraction: 0.5 } as const
    const before = tf.memory().numTensors
    const plain = createSliceBatches(common).batch(2, 4)
    const mirrored = createSliceBatches({ ...common, mirrorChannel: true }).batch(2, 4)
    expect(mirrored.images.shape).toEqual([4, 64, 64, 2])
    const [scan, mirror] = tf.split(mirrored.images, 2, 3)
    expect(Array.from(scan.dataSync())).toEqual(Array.from(plain.images.dataSync()))
    expect(Array.from(mirrored.masks.dataSync())).toEqual(Array.from(plain.masks.dataSync()))
    const [scanValues, differences] = [scan.dataSync(), mirror.dataSync()]
    expect(Math.max(...differences.map(Math.abs))).toBeLessThanOrEqual(2 * CT_NORMALIZATION.clip)
    expect(differences.filter((d) => d === 0).length).toBeLessThan(0.5 * differences.length) // not the slice minus itself
    expect(differences.some((d, i) => d !== scanValues[i])).toBe(true) // not the slice minus air
    tf.dispose([plain.images, plain.masks, mirrored.images, mirrored.masks, scan, mirror])
    expect(tf.memory().numTensors).toBe(before)
  })
})
