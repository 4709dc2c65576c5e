import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { obliqueScan } from '../../testing/pipelineFixtures'
import { describeWithRealData, readRealFile } from '../../testing/realData'
import { readNifti } from '../io/nifti/readNifti'
import { selectBackend } from '../training/backend/selectBackend'
import type { Volume } from '../volume/volume'
import { MIN_HEAD_FRACTION } from './axialSlices'
import { parseModelCard } from './modelCard'
import { slicesOnBackend } from './scanOnBackend'
import { prepareScan } from './scanSlices'

const card = parseModelCard(JSON.parse(readFileSync('models/mr/model-card.json', 'utf8')))
const ctCard = parseModelCard(JSON.parse(readFileSync('models/ct/model-card.json', 'utf8')))

/**
 * The two ways of counting the head's statistics, one result: in JavaScript (scanSlices.ts, the reference) and
 * reduced on the backend (scanOnBackend.ts). The same mapping (float32 sums on the backend against float64 here)
 * and the same slices to run.
 */
async function expectSameAnalysis(volume: Volume, withCard = card): Promise<void> {
  const reference = prepareScan(volume, withCard)
  const tensorsBefore = tf.memory().numTensors
  const slicer = await slicesOnBackend(volume, withCard, MIN_HEAD_FRACTION, new Uint8Array(volume.data.length))
  try {
    const { mapping, slices } = slicer.scan
    expect(slices).toEqual(reference.slices)
    for (const key of ['offset', 'scale', 'clip', 'fill', 'headAbove', 'background'] as const) {
      expect(mapping[key], key).toBeCloseTo(reference.mapping[key], Math.abs(reference.mapping[key]) > 100 ? 1 : 4)
    }
  } finally {
    slicer.dispose()
  }
  expect(tf.memory().numTensors).toBe(tensorsBefore)
}

describe('head statistics on the backend', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it('give the mapping and slices that JavaScript counts: an oblique scan', async () => {
    await expectSameAnalysis(obliqueScan())
  })
})

describeWithRealData('head statistics on the backend, real scans', () => {
  it('give the mapping and slices that JavaScript counts: the stroke FLAIR (MR z-score) and the T2 read as CT (window)', { timeout: 60_000 }, async () => {
    await selectBackend('wasm')
    await expectSameAnalysis(readNifti(readRealFile('lesion/niivue_flair/FLAIR.nii.gz'), 'FLAIR.nii.gz').volume)
    await expectSameAnalysis(readNifti(readRealFile('lesion/clinical_t2/T2.nii'), 'T2.nii').volume, ctCard)
  })
})
