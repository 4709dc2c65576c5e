/**
 * The midline a scan is mirrored about (midline.ts): found on real MNI heads where it is known (world x = 0; one of
 * them stored right-to-left), and the reflection of the model's input (tf.image.transform) checked against
 * tf.reverse and against itself. The synthetic heads, whose midline the generator knows: mirrorChannel.test.ts.
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { describeWithRealData, readRealFile } from '../../testing/realData'
import { readNifti } from '../io/nifti/readNifti'
import { selectBackend } from '../training/backend/selectBackend'
import { applyAffine } from '../volume/affine'
import { alongRasAxis, rasReorientation } from '../volume/rasReorientation'
import type { Volume } from '../volume/volume'
import { sliceGeometry, slicesWithHead, type SliceGeometry } from './axialSlices'
import { analyzeIntensities, MR_NORMALIZATION } from './intensityNormalization'
import { estimateMidline, mirrorTransformOf, reflectPoint, withMirrorChannel, type Midline } from './midline'

/** The midline of a volume and the world x (mm) of two of its points, 40 mm before and behind its centre. */
function midlineInWorld(volume: Volume): { midline: Midline; worldX: [number, number] } {
  const orientation = rasReorientation(volume.affine, volume.dims, volume.spacing)
  const { mapping, headCounts } = analyzeIntensities(volume, MR_NORMALIZATION)
  const slices = slicesWithHead(alongRasAxis(headCounts, orientation, 2), sliceGeometry(orientation.dims, orientation.spacing, 2, 16))
  const midline = estimateMidline(volume, orientation, mapping, slices)
  const k = slices[Math.floor(slices.length / 2)]
  const worldX = [-40, 40].map((along) => {
    const ras = [(midline.x + along * Math.sin(midline.angle)) / orientation.spacing[0], (midline.y + along * Math.cos(midline.angle)) / orientation.spacing[1], k]
    const source = [0, 0, 0]
    ras.forEach((index, r) => (source[orientation.sourceAxisOf[r]] = orientation.flipped[r] ? orientation.dims[r] - 1 - index : index))
    return applyAffine(volume.affine, source as [number, number, number])[0]
  })
  return { midline, worldX: worldX as [number, number] }
}

describeWithRealData('the midline of real heads', () => {
  it('lies at world x = 0 in the MNI templates, stored left-to-right or right-to-left', { timeout: 60_000 }, () => {
    for (const file of ['mri_t1/MNI152_2009_template.nii.gz', 'mri_t1/avg152T1_RL_nifti.nii.gz']) {
      const volume = readNifti(readRealFile(file), file).volume
      const { midline, worldX } = midlineInWorld(volume)
      expect(Math.abs((midline.angle * 180) / Math.PI), file).toBeLessThan(1.5)
      for (const x of worldX) expect(Math.abs(x), file).toBeLessThan(2)
    }
  })
})

describe('the mirror channel', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  const geometry: SliceGeometry = { native: [40, 60], resampled: [20, 30], padding: [6, 6, 1, 1] } // 2 mm pixels of 1 mm voxels

  it('subtracts from the model input its reflection about the midline: tf.reverse for the slice\'s centre line; a reflection undone by a second', () => {
    const before = tf.memory().numTensors
    const slices = tf.randomNormal([3, 32, 32, 1], 0, 1, 'float32', 5) as tf.Tensor4D
    // The native slice's centre line (x = 29.5 mm on 60 columns of 1 mm) is the padded model input's: 32 columns.
    const centre = mirrorTransformOf({ x: 29.5, y: 10, angle: 0 }, geometry, [1, 1])
    const mirrored = withMirrorChannel(slices, centre, -7)
    expect(mirrored.shape).toEqual([3, 32, 32, 2])
    const [scan, mirror] = tf.split(mirrored, 2, 3)
    expect(Array.from(scan.dataSync())).toEqual(Array.from(slices.dataSync()))
    const reversed = tf.tidy(() => tf.sub(slices, tf.reverse(slices, 2))) // the slice minus its mirror image
    expect(Array.from(mirror.dataSync())).toEqual(Array.from(reversed.dataSync()))
    // A tilted line: a point reflected twice comes back, in mm and in the model input's pixels.
    const tilted: Midline = { x: 31, y: 18, angle: (12 * Math.PI) / 180 }
    expect(reflectPoint(tilted, ...reflectPoint(tilted, 3, -4))).toEqual([expect.closeTo(3, 10), expect.closeTo(-4, 10)])
    const [a0, a1, a2, b0, b1, b2] = mirrorTransformOf(tilted, geometry, [1, 1])
    const read = (u: number, v: number): [number, number] => [a0 * u + a1 * v + a2, b0 * u + b1 * v + b2]
    expect(read(...read(7, 25))).toEqual([expect.closeTo(7, 10), expect.closeTo(25, 10)])
    expect(read(7, 25)).not.toEqual([expect.closeTo(7, 1), expect.closeTo(25, 1)])
    tf.dispose([slices, mirrored, scan, mirror, reversed])
    expect(tf.memory().numTensors).toBe(before)
  })
})
