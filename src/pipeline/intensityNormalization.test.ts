import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import type { Volume } from '../volume/volume'
import { analyzeIntensities, CT_NORMALIZATION, MR_NORMALIZATION, normalizedTensor, quantile, replaceNonFinite, type Normalization } from './intensityNormalization'

function volumeOf(values: number[], scaling: Volume['scaling'] = null): Volume {
  const data = Int16Array.from(values) as unknown as Volume['data']
  return {
    name: 't', dims: [values.length, 1, 1], spacing: [1, 1, 1],
    affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
    data, datatype: 'int16', scaling, modality: 'unknown',
  }
}

/** The whole volume normalised as training and segmentation do it, with its analysis. */
function normalizeVolume(volume: Volume, normalization: Normalization) {
  const analysis = analyzeIntensities(volume, normalization)
  const raw = replaceNonFinite(new Float32Array(volume.data), analysis.mapping.fill)
  const values = tf.tidy(() => normalizedTensor(tf.tensor1d(raw), analysis.mapping).dataSync())
  return { ...analysis, values }
}

describe('intensity normalisation', () => {
  it('maps the CT brain window to [-1, 1], clips, and marks air as outside the head', () => {
    const n = normalizeVolume(volumeOf([-1000, 0, 40, 80, 2000]), CT_NORMALIZATION)
    expect(Array.from(n.values)).toEqual([-3, -1, 0, 1, 3])
    expect(Array.from(n.headCounts[0])).toEqual([0, 1, 1, 1, 1])
    expect(n.mapping.background).toBe(-3)
  })

  it('does not apply the recorded file scaling again (readers have applied it to the data)', () => {
    const n = normalizeVolume(volumeOf([0, 40], { slope: 1, intercept: -1024 }), CT_NORMALIZATION)
    expect(Array.from(n.values)).toEqual([-1, 0])
  })

  it('z-scores MR over the head only (background excluded from the statistics)', () => {
    const n = normalizeVolume(volumeOf([0, 0, 0, 0, 90, 110, 90, 110]), MR_NORMALIZATION)
    expect(Array.from(n.headCounts[0])).toEqual([0, 0, 0, 0, 1, 1, 1, 1])
    expect(Array.from(n.values.slice(4))).toEqual([-1, 1, -1, 1])
    expect(n.mapping.background).toBe(-5) // (0 - 100) / 10 clipped
  })

  it('counts head voxels along each voxel axis, reading non-finite values as air', () => {
    const data = Float32Array.from([-1000, 500, NaN, 500, 500, Infinity, -1000, -1000]) // dims [2, 2, 2]
    const volume: Volume = { ...volumeOf([0]), dims: [2, 2, 2], data: data as unknown as Volume['data'], datatype: 'float32' }
    const n = normalizeVolume(volume, CT_NORMALIZATION)
    expect(n.headCounts.map((c) => Array.from(c))).toEqual([[1, 2], [2, 1], [2, 1]])
    expect(Array.from(n.values)).toEqual([-3, 3, -3, 3, 3, -3, -3, -3])
  })

  it('leaves no tensor behind', () => {
    normalizeVolume(volumeOf([0, 0, 90, 110, 300, 95, 20000]), MR_NORMALIZATION)
    expect(tf.memory().numTensors).toBe(0)
  })

  it('says so when an MR volume is empty', () => {
    expect(() => normalizeVolume(volumeOf([0, 0, 0]), MR_NORMALIZATION)).toThrow(/no voxel above the background/)
  })

  it('estimates quantiles: the sample value of that rank, with many equal values and non-finite ones', () => {
    expect(quantile(Float32Array.from({ length: 101 }, (_, i) => i), 0.99)).toBe(99)
    let seed = 7
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const values = Float32Array.from({ length: 50_000 }, () => Math.floor(random() * 40) * 3)
    values.set([NaN, Infinity, -Infinity], 100)
    const sorted = values.filter(Number.isFinite).sort()
    for (const q of [0, 0.3, 0.5, 0.99, 1]) expect(quantile(values, q)).toBe(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))])
  })

  it('counts 1- and 2-byte integers to the value the sort gives, signed or not, over the sampled voxels', () => {
    let seed = 11
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const cases = [
      Uint8Array.from({ length: 30_001 }, () => Math.floor(random() * 256)),
      Int8Array.from({ length: 999 }, () => Math.floor(random() * 256) - 128),
      Int16Array.from({ length: 450_001 }, () => Math.floor(random() * 4000) - 1024), // sampled with a stride of 2
      Uint16Array.from({ length: 12_345 }, () => Math.floor(random() * 65536)),
      Uint8Array.from([7]),
    ]
    for (const values of cases) {
      const stride = Math.max(1, Math.floor(values.length / 200_000))
      const sorted = Float64Array.from(values.filter((_, i) => i % stride === 0)).sort()
      for (const q of [0, 0.1, 0.5, 0.99, 1]) expect(quantile(values, q)).toBe(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))])
    }
  })
})
