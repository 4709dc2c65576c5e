import { describe, expect, it } from 'vitest'
import type { Volume } from '../../volume/volume'
import { detectionBySize, formatDetectionBySize } from './detectionBySize'
import { scoreMasks } from './evaluateCases'

/** A volume of 1 mm voxels holding `data` (one voxel = 0.001 mL). */
function volumeOf(dims: [number, number, number], data: Uint8Array): Volume {
  return { name: 'v', dims, spacing: [1, 1, 1], affine: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], data, datatype: 'uint8', scaling: null, modality: 'unknown' }
}

describe('detectionBySize', () => {
  it('counts each reference lesion in its size band, the band edges belonging to the band above', () => {
    const lesion = (ml: number, found: boolean) => ({ ml, found })
    const rows = detectionBySize([
      { referenceLesions: [lesion(0.1, true), lesion(0.5, false), lesion(1.99, true)] },
      { referenceLesions: [lesion(2, false), lesion(49.9, true), lesion(50, true), lesion(300, false)] },
      { referenceLesions: [] },
    ])
    expect(rows).toEqual([
      { band: 'under 0.5 mL', lesions: 1, found: 1 },
      { band: '0.5-2 mL', lesions: 2, found: 1 },
      { band: '2-10 mL', lesions: 1, found: 0 },
      { band: '10-50 mL', lesions: 1, found: 1 },
      { band: '50 mL and over', lesions: 2, found: 1 },
    ])
    expect(formatDetectionBySize(rows)).toBe('under 0.5 mL 1/1, 0.5-2 mL 1/2, 2-10 mL 0/1, 10-50 mL 1/1, 50 mL and over 1/2')
    expect(formatDetectionBySize(detectionBySize([{ referenceLesions: [lesion(3, true)] }]))).toBe('2-10 mL 1/1')
    expect(formatDetectionBySize(detectionBySize([]))).toBe('no reference lesions')
  })

  it('scoreMasks records each reference lesion of a case with its volume and whether the prediction touched it', () => {
    const dims: [number, number, number] = [40, 40, 12]
    const [reference, predicted] = [new Uint8Array(40 * 40 * 12), new Uint8Array(40 * 40 * 12)]
    const at = (x: number, y: number, z: number) => x + 40 * (y + 40 * z)
    for (let z = 0; z < 10; z++) for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) reference[at(x, y, z)] = 1 // 1,000 voxels: 1 mL
    for (let z = 0; z < 2; z++) for (let y = 30; y < 35; y++) for (let x = 30; x < 35; x++) reference[at(x, y, z)] = 1 // 50 voxels: 0.05 mL
    predicted[at(31, 31, 1)] = 1 // touches the small lesion only
    predicted[at(20, 20, 11)] = 1 // touches nothing
    const [evaluation] = scoreMasks([{ id: 'c1', image: volumeOf(dims, reference), mask: volumeOf(dims, reference) }], [predicted]).cases
    expect(evaluation.referenceLesions).toEqual([{ ml: 1, found: false }, { ml: 0.05, found: true }])
    expect(evaluation).toMatchObject({ lesions: 2, lesionsDetected: 1, falsePositiveLesions: 1 })
    expect(detectionBySize([evaluation]).filter((r) => r.lesions > 0)).toEqual([{ band: 'under 0.5 mL', lesions: 1, found: 1 }, { band: '0.5-2 mL', lesions: 1, found: 0 }])
  })
})
