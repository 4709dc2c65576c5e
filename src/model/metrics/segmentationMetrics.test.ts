import { describe, expect, it } from 'vitest'
import { aggregateScores, sliceScores, volumeScores } from './segmentationMetrics'

describe('segmentation metrics', () => {
  it('2x2: one hit, one false positive, one miss', () => {
    // predicted [1, 1, 0, 0], reference [1, 0, 1, 0]: TP 1, FP 1, FN 1
    expect(volumeScores([1, 1, 0, 0], [1, 0, 1, 0])).toEqual({ tp: 1, fp: 1, fn: 1, dice: 0.5, iou: 1 / 3 })
  })

  it('4x4 split into two 2x4 slices, the second empty in both: excluded from the mean and counted', () => {
    const predicted = [1, 1, 1, 0, 0, 0, 0, 0, /* slice 2 */ 0, 0, 0, 0, 0, 0, 0, 0]
    const reference = [1, 1, 0, 0, 1, 0, 0, 0, /* slice 2 */ 0, 0, 0, 0, 0, 0, 0, 0]
    const slices = sliceScores(predicted, reference, 8)
    expect(slices[0]).toEqual({ tp: 2, fp: 1, fn: 1, dice: 4 / 6, iou: 2 / 4 })
    expect(slices[1]).toEqual({ tp: 0, fp: 0, fn: 0, dice: null, iou: null })
    expect(aggregateScores(slices)).toEqual({ meanDice: 4 / 6, meanIou: 0.5, scored: 1, bothEmpty: 1, total: { tp: 2, fp: 1, fn: 1 } })
  })

  it('a missed lesion scores 0, not null; nothing scored gives null means', () => {
    expect(volumeScores([0, 0], [0, 1]).dice).toBe(0)
    expect(aggregateScores([volumeScores([0, 0], [0, 0])])).toMatchObject({ meanDice: null, meanIou: null, scored: 0, bothEmpty: 1 })
    expect(() => volumeScores([0], [0, 1])).toThrow(/masks differ in size/)
  })
})
