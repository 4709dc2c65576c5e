/**
 * The Wilcoxon signed-rank test for paired scores (the same test volume under two methods): does the median
 * difference differ from zero? Zero differences are left out (Wilcoxon's way), tied magnitudes share their mean
 * rank, and the p value (two-sided) comes from the normal approximation with the tie-corrected variance, without
 * continuity correction: scipy.stats.wilcoxon(d, method='approx', correction=False) gives the same.
 */

export interface SignedRankResult {
  /** Pairs with a non-zero difference. */
  readonly n: number
  /** The smaller of the rank sums of the positive and of the negative differences. */
  readonly statistic: number
  readonly z: number
  readonly p: number
}

export function signedRankTest(differences: readonly number[]): SignedRankResult {
  const nonZero = differences.filter((d) => d !== 0)
  const n = nonZero.length
  if (n === 0) return { n, statistic: 0, z: 0, p: 1 }
  const order = nonZero.map((d, i) => ({ magnitude: Math.abs(d), i })).sort((a, b) => a.magnitude - b.magnitude)
  const ranks = new Float64Array(n)
  let tieTerm = 0 // sum of t^3 - t over groups of tied magnitudes
  for (let start = 0; start < n; ) {
    let end = start
    while (end + 1 < n && order[end + 1].magnitude === order[start].magnitude) end++
    const rank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) ranks[order[k].i] = rank
    const t = end - start + 1
    tieTerm += t ** 3 - t
    start = end + 1
  }
  let positive = 0
  nonZero.forEach((d, i) => d > 0 && (positive += ranks[i]))
  const negative = (n * (n + 1)) / 2 - positive
  const statistic = Math.min(positive, negative)
  const mean = (n * (n + 1)) / 4
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48)
  const z = sd > 0 ? (statistic - mean) / sd : 0
  return { n, statistic, z, p: Math.min(1, 2 * normalCdf(-Math.abs(z))) }
}

/** Φ(x), the standard normal distribution function (Abramowitz and Stegun 7.1.26 on erf, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2)
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2)
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}
