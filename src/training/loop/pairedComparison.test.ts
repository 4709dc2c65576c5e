import { describe, expect, it } from 'vitest'
import { compareGroup, compareSets, comparisonTable, type PairedCase } from './pairedComparison'

/** A volume whose baseline and candidate scores are given (a 2 mL reference; each model marks `markedMl`). */
const pair = (id: string, baselineDice: number | null, candidateDice: number | null, found: [number, number] = [1, 1], falsePositives: [number, number] = [0, 0], contrast?: string, markedMl: [number, number] = [2, 2]): PairedCase => ({
  id,
  contrast,
  referenceMl: 2,
  baseline: { dice: baselineDice, lesionsDetected: found[0], falsePositiveLesions: falsePositives[0], predictedMl: markedMl[0] },
  candidate: { dice: candidateDice, lesionsDetected: found[1], falsePositiveLesions: falsePositives[1], predictedMl: markedMl[1] },
})

/** n volumes whose Dice differences are `shift` plus alternately -spread and +spread (times 1-1.8). */
const noisy = (n: number, shift: number, spread: number) => Array.from({ length: n }, (_, i) => pair(`c${i}`, 0.4, 0.4 + shift + (i % 2 ? spread : -spread) * (1 + (i % 5) / 5)))

describe('compareGroup', () => {
  it('a constant difference has an interval of width 0 at it; lesions found, false positives and mL marked are totals', () => {
    const cases = Array.from({ length: 10 }, (_, i) => pair(`c${i}`, 0.3, 0.4, [2, 3], [1, 0], undefined, [12.5, 4]))
    const r = compareGroup('set', [cases], 500, 1)
    expect(r.diceDifference!.estimate).toBeCloseTo(0.1, 10)
    expect(r.diceDifference!.high - r.diceDifference!.low).toBeCloseTo(0, 10)
    expect(r.baselineDice).toBeCloseTo(0.3, 10)
    expect(r.candidateDice).toBeCloseTo(0.4, 10)
    expect([r.better, r.worse, r.baselineFound, r.candidateFound]).toEqual([10, 0, 20, 30])
    expect(r.foundDifference).toEqual({ estimate: 10, low: 10, high: 10 })
    expect(r.falsePositiveDifference).toEqual({ estimate: -10, low: -10, high: -10 })
    expect([r.referenceMl, r.baselineMl, r.candidateMl]).toEqual([20, 125, 40])
    expect(r.markedMlDifference).toEqual({ estimate: -85, low: -85, high: -85 })
    expect(r.wilcoxonP).toBeLessThan(0.01)
  })

  it('noise around no difference gives an interval around 0; a shift larger than the noise, one that excludes 0', () => {
    const none = compareGroup('set', [noisy(40, 0, 0.05)], 2000, 1).diceDifference!
    expect(none.low).toBeLessThan(0)
    expect(none.high).toBeGreaterThan(0)
    expect(none.high - none.low).toBeGreaterThan(0.01)
    const shifted = compareGroup('set', [noisy(40, 0.05, 0.05)], 2000, 1).diceDifference!
    expect(shifted.estimate).toBeCloseTo(none.estimate + 0.05, 10)
    expect(shifted.low).toBeGreaterThan(0)
  })

  it('is the same for the same seed, and resamples within each set: set sizes never change', () => {
    const cases = noisy(30, 0.01, 0.05)
    expect(compareGroup('set', [cases], 1000, 3)).toEqual(compareGroup('set', [cases], 1000, 3))
    expect(compareGroup('set', [cases], 1000, 4).diceDifference).not.toEqual(compareGroup('set', [cases], 1000, 3).diceDifference)
    // Two sets each of one constant difference: resampled within each, every draw keeps 2 volumes at +1 and 8 at -1.
    const strata = [[pair('a1', 0, 1), pair('a2', 0, 1)], Array.from({ length: 8 }, (_, i) => pair(`b${i}`, 1, 0))]
    expect(compareGroup('two sets', strata, 1000, 1).diceDifference).toEqual({ estimate: -0.6, low: -0.6, high: -0.6 })
  })

  it('leaves volumes without a Dice (both masks empty) out of the Dice, not out of the lesion counts', () => {
    const r = compareGroup('set', [[pair('a', 0.2, 0.5), pair('b', null, 0.1, [0, 1]), pair('c', 0.5, null, [0, 0], [0, 2])]], 200, 1)
    expect([r.cases, r.scored, r.baselineDice, r.candidateDice]).toEqual([3, 1, 0.2, 0.5])
    expect(r.diceDifference!.estimate).toBeCloseTo(0.3, 10)
    expect(r.foundDifference.estimate).toBe(1)
    expect(r.falsePositiveDifference.estimate).toBe(2)
  })
})

describe('compareSets', () => {
  it('gives each set, each contrast across the sets, then all sets', () => {
    const first = { label: 'A', cases: [pair('1', 0.5, 0.6, [1, 1], [0, 0], 'dwi'), pair('2', 0.2, 0.1, [1, 1], [0, 0], 'adc')] }
    const second = { label: 'B', cases: [pair('1', 0.4, 0.6, [1, 1], [0, 0], 'dwi')] }
    const rows = compareSets([first, second], 200, 1)
    expect(rows.map((r) => [r.label, r.cases])).toEqual([['A', 2], ['B', 1], ['dwi (all sets)', 2], ['adc (all sets)', 1], ['all sets', 3]])
    expect(rows[2].diceDifference!.estimate).toBeCloseTo(0.15, 10)
    expect(rows[4].diceDifference!.estimate).toBeCloseTo((0.1 - 0.1 + 0.2) / 3, 10)
    const table = comparisonTable(rows).split('\n')
    expect(table).toHaveLength(2 + rows.length)
    expect(table[2]).toMatch(/^\| A \| 2 \| 0\.350 \| 0\.350 \| 0\.000 \(/)
    expect(table[4]).toMatch(/^\| dwi \(all sets\) \| 2 \| 0\.450 \| 0\.600 \| \+0\.150 \(\+0\.150 to \+0\.150\) \| 2 \/ 0 \|/)
    expect(table[4]).toMatch(/\| 4 -> 4 \(4\) \| 0 \(0 to 0\) \|$/)
  })
})
