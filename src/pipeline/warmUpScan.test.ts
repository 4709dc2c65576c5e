import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../training/backend/selectBackend'
import { fileModelHandler } from '../training/io/modelFiles'
import { loadSegmentationModel } from './loadSegmentationModel'
import { prepareScan } from './scanSlices'
import { planRun } from './runPlan'
import { segmentVolume } from './segmentVolume'
import { warmUpScan } from './warmUpScan'

describe('the warm-up scan', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it.each(['mr', 'ct', 'brain'])('goes through the whole pipeline with the %s model, both ways, resampled up and down, leaving no tensor', async (id) => {
    const { model, card } = await loadSegmentationModel(fileModelHandler(`models/${id}/model.json`), JSON.parse(readFileSync(`models/${id}/model-card.json`, 'utf8')))
    const scan = warmUpScan(card)
    const { geometry, slices } = prepareScan(scan, card)
    expect(slices).toEqual([0, 1, 2]) // every slice holds head
    expect(geometry.resampled[0]).toBeLessThan(geometry.native[0])
    expect(geometry.resampled[1]).toBeGreaterThan(geometry.native[1])
    const tensorsBefore = tf.memory().numTensors
    for (const scanOnBackend of [false, true]) {
      const { mask, slicesRun } = await segmentVolume(scan, model, card, planRun(scan, 'wasm', { scanOnBackend }))
      expect(mask.dims).toEqual(scan.dims)
      expect(slicesRun).toBe(3)
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    model.dispose()
  })
})
