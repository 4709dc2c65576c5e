import { describe, expect, it } from 'vitest'
import { normalCdf, signedRankTest } from './signedRank'

describe('signedRankTest', () => {
  // Reference values: scipy.stats.wilcoxon(d, method='approx', correction=False) (SciPy 1.10).
  it('gives scipy\'s statistic and p value', () => {
    const r = signedRankTest([6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75])
    expect(r.statistic).toBe(24)
    expect(r.p).toBeCloseTo(0.04088813291185591, 6)
  })

  it('drops zero differences and shares ranks between ties, as scipy does', () => {
    const r = signedRankTest([0.1, 0.1, -0.05, 0.2, 0.2, 0.3, -0.1, 0.15, 0, 0.25])
    expect(r).toMatchObject({ n: 9, statistic: 4 })
    expect(r.p).toBeCloseTo(0.027710036659135597, 6)
  })

  it('finds nothing in no difference', () => {
    expect(signedRankTest([0, 0, 0]).p).toBe(1)
    expect(signedRankTest([1, -1, 2, -2]).p).toBeCloseTo(1, 10)
  })

  it('has the normal distribution function', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6)
    expect(normalCdf(-2.575829304)).toBeCloseTo(0.005, 6)
  })
})
