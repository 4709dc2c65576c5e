/**
 * Training batches from the generator (real heads, real lesion shapes): normalised as segmentation normalises,
 * deterministic per step, and with the contrast channels of a model told the contrast.
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, expect, it } from 'vitest'
import { generatorInputs } from '../../../testing/generatorInputs'
import { describeWithRealData } from '../../../testing/realData'
import { MR_NORMALIZATION } from '../../pipeline/intensityNormalization'
import type { LesionShape } from './lesionBank'
import { createSliceBatches } from './syntheticData'
import type { TissueLabelMap } from './tissueLabels'

describeWithRealData('training batches on real heads and real lesion shapes', () => {
  let heads: TissueLabelMap[]
  let shapes: LesionShape[]
  beforeAll(() => {
    ;({ heads, shapes } = generatorInputs())
  }, 120_000)

  it('training batches: normalised slices as segmentation sees them, masks 0/1, the same batch for the same step, no tensor left', () => {
    const source = createSliceBatches({ mode: 'mr', heads, lesions: shapes, seed: 1, normalization: MR_NORMALIZATION, size: 64, spacingMm: 2, lesionFraction: 1 })
    const before = tf.memory().numTensors
    const a = source.batch(3, 4)
    const b = source.batch(3, 4)
    expect(a.images.shape).toEqual([4, 64, 64, 1])
    const [ia, ib, ma] = [a.images.dataSync(), b.images.dataSync(), a.masks.dataSync()]
    expect(Array.from(ia)).toEqual(Array.from(ib))
    expect(Math.max(...ia)).toBeLessThanOrEqual(MR_NORMALIZATION.clip)
    expect(Math.min(...ia)).toBeGreaterThanOrEqual(-MR_NORMALIZATION.clip)
    expect(new Set(ma)).toEqual(new Set([0, 1])) // slices through a lesion show it
    tf.dispose([a.images, a.masks, b.images, b.masks])
    expect(tf.memory().numTensors).toBe(before)
  })

  it("tells a model with contrast channels each slice's drawn contrast, none for a random contrast or an unnamed share, the scan channel unchanged", () => {
    const common = { mode: 'mr', heads, lesions: shapes, seed: 2, normalization: MR_NORMALIZATION, size: 64, spacingMm: 2, lesionFraction: 0.5, namedContrasts: ['adc'] } as const
    const channels = ['T1', 'T2', 'FLAIR', 'DWI', 'ADC'] as const
    const before = tf.memory().numTensors
    const codes = (images: tf.Tensor4D) => tf.tidy(() => tf.slice(images, [0, 0, 0, 1], [-1, 1, 1, -1]).reshape([-1, channels.length]).arraySync() as number[][])
    const plain = createSliceBatches({ ...common, randomContrastShare: 0 }).batch(1, 8)
    const told = createSliceBatches({ ...common, randomContrastShare: 0, contrastChannels: channels }).batch(1, 8)
    expect(told.images.shape).toEqual([8, 64, 64, 6])
    const scanChannel = tf.slice(told.images, [0, 0, 0, 0], [-1, -1, -1, 1])
    expect(Array.from(scanChannel.dataSync())).toEqual(Array.from(plain.images.dataSync()))
    expect(codes(told.images)).toEqual(new Array(8).fill([0, 0, 0, 0, 1]))
    const random = createSliceBatches({ ...common, randomContrastShare: 1, contrastChannels: channels }).batch(1, 8)
    expect(codes(random.images)).toEqual(new Array(8).fill([0, 0, 0, 0, 0]))
    const someUnnamed = createSliceBatches({ ...common, randomContrastShare: 0, contrastChannels: channels, unnamedContrastShare: 0.5 }).batch(1, 16)
    const unnamed = codes(someUnnamed.images).filter((code) => code.every((v) => v === 0)).length
    expect(unnamed).toBeGreaterThan(2)
    expect(unnamed).toBeLessThan(14)
    tf.dispose([plain.images, plain.masks, told.images, told.masks, scanChannel, random.images, random.masks, someUnnamed.images, someUnnamed.masks])
    expect(tf.memory().numTensors).toBe(before)
  })
})
