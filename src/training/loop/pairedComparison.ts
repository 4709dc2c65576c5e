/**
 * Two models scored on the same volumes, compared volume by volume: is the difference larger than the draw of
 * volumes? Model choices here rest on validation sets of 16-32 volumes, where one small lesion found or missed
 * moves a set's mean Dice by 0.01-0.03; a difference smaller than that draw is not evidence for either model.
 * For each group of paired volumes (one set, one contrast across sets, all sets): the mean per-volume Dice
 * difference (candidate - baseline), the change in lesions found, in false-positive lesions and in the volume
 * marked (mL: where a model marks far more than the reference holds, its false positives are large ones), each with a
 * percentile bootstrap 95 % interval (volumes resampled with replacement within each set, so every resample
 * keeps the sets' sizes; seeded, so the same files give the same interval), and the Wilcoxon signed-rank p of
 * the Dice differences (signedRank.ts, as the ablation's paired table).
 */
import { signedRankTest } from '../ablation/signedRank'
import { createRandom } from '../data/random'
import type { CaseEvaluation } from './evaluateCases'

/** One volume scored by both models. */
export interface PairedCase {
  readonly id: string
  /** The contrast its dataset records, if any. */
  readonly contrast?: string
  /** The reference mask's volume. */
  readonly referenceMl: number
  readonly baseline: PairedScore
  readonly candidate: PairedScore
}

type PairedScore = Pick<CaseEvaluation, 'dice' | 'lesionsDetected' | 'falsePositiveLesions' | 'predictedMl'>

/** A 95 % interval around a point estimate. */
export interface Interval {
  readonly estimate: number
  readonly low: number
  readonly high: number
}

export interface GroupComparison {
  readonly label: string
  readonly cases: number
  /** Volumes with a Dice under both models (a Dice is undefined when both masks are empty). */
  readonly scored: number
  readonly baselineDice: number | null
  readonly candidateDice: number | null
  /** Mean over the scored volumes of candidate Dice - baseline Dice. */
  readonly diceDifference: Interval | null
  readonly better: number
  readonly worse: number
  readonly wilcoxonP: number
  readonly baselineFound: number
  readonly candidateFound: number
  /** Candidate's lesions found - baseline's. */
  readonly foundDifference: Interval
  readonly baselineFalsePositives: number
  readonly candidateFalsePositives: number
  /** Candidate's false-positive lesions - baseline's. */
  readonly falsePositiveDifference: Interval
  /** The reference masks' volume and each model's marked volume, in mL. */
  readonly referenceMl: number
  readonly baselineMl: number
  readonly candidateMl: number
  /** Candidate's marked mL - baseline's. */
  readonly markedMlDifference: Interval
}

/**
 * Compares one group: `strata` are its volumes set by set (resampled within each). `resamples` bootstrap draws
 * from `seed`.
 */
export function compareGroup(label: string, strata: ReadonlyArray<readonly PairedCase[]>, resamples: number, seed: number): GroupComparison {
  const all = strata.flat()
  const diceOf = (c: PairedCase) => (c.baseline.dice === null || c.candidate.dice === null ? null : c.candidate.dice - c.baseline.dice)
  const scored = all.filter((c) => diceOf(c) !== null)
  const differences = scored.map((c) => diceOf(c)!)
  const sum = (cases: readonly PairedCase[], f: (c: PairedCase) => number) => cases.reduce((s, c) => s + f(c), 0)
  const meanOver = (cases: readonly PairedCase[], f: (c: PairedCase) => number) => (cases.length ? sum(cases, f) / cases.length : null)
  const found = (c: PairedCase) => c.candidate.lesionsDetected - c.baseline.lesionsDetected
  const falsePositives = (c: PairedCase) => c.candidate.falsePositiveLesions - c.baseline.falsePositiveLesions
  const markedMl = (c: PairedCase) => c.candidate.predictedMl - c.baseline.predictedMl
  // The bootstrap: each resample draws every stratum's size from that stratum, with replacement.
  const random = createRandom(seed)
  const draws = { dice: [] as number[], found: [] as number[], falsePositives: [] as number[], markedMl: [] as number[] }
  for (let r = 0; r < resamples; r++) {
    let [diceSum, diceCount, foundSum, falsePositiveSum, markedMlSum] = [0, 0, 0, 0, 0]
    for (const stratum of strata) {
      for (let k = 0; k < stratum.length; k++) {
        const c = stratum[random.integer(0, stratum.length)]
        const d = diceOf(c)
        if (d !== null) [diceSum, diceCount] = [diceSum + d, diceCount + 1]
        foundSum += found(c)
        falsePositiveSum += falsePositives(c)
        markedMlSum += markedMl(c)
      }
    }
    if (diceCount > 0) draws.dice.push(diceSum / diceCount)
    draws.found.push(foundSum)
    draws.falsePositives.push(falsePositiveSum)
    draws.markedMl.push(markedMlSum)
  }
  return {
    label,
    cases: all.length,
    scored: scored.length,
    baselineDice: meanOver(scored, (c) => c.baseline.dice!),
    candidateDice: meanOver(scored, (c) => c.candidate.dice!),
    diceDifference: scored.length ? interval(meanOver(scored, (c) => diceOf(c)!)!, draws.dice) : null,
    better: differences.filter((d) => d > 0).length,
    worse: differences.filter((d) => d < 0).length,
    wilcoxonP: signedRankTest(differences).p,
    baselineFound: sum(all, (c) => c.baseline.lesionsDetected),
    candidateFound: sum(all, (c) => c.candidate.lesionsDetected),
    foundDifference: interval(sum(all, found), draws.found),
    baselineFalsePositives: sum(all, (c) => c.baseline.falsePositiveLesions),
    candidateFalsePositives: sum(all, (c) => c.candidate.falsePositiveLesions),
    falsePositiveDifference: interval(sum(all, falsePositives), draws.falsePositives),
    referenceMl: sum(all, (c) => c.referenceMl),
    baselineMl: sum(all, (c) => c.baseline.predictedMl),
    candidateMl: sum(all, (c) => c.candidate.predictedMl),
    markedMlDifference: interval(sum(all, markedMl), draws.markedMl),
  }
}

/** The estimate with the 2.5th and 97.5th percentiles of its bootstrap draws (nearest rank). */
function interval(estimate: number, draws: number[]): Interval {
  if (draws.length === 0) return { estimate, low: estimate, high: estimate }
  const sorted = Float64Array.from(draws).sort()
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
  return { estimate, low: at(0.025), high: at(0.975) }
}

/** A set of paired volumes and its name. */
export interface PairedSet {
  readonly label: string
  readonly cases: readonly PairedCase[]
}

/** Each set on its own, each contrast across the sets (when the sets record contrasts), then all the sets together. */
export function compareSets(sets: readonly PairedSet[], resamples: number, seed: number): GroupComparison[] {
  const contrasts = [...new Set(sets.flatMap((s) => s.cases.flatMap((c) => (c.contrast ? [c.contrast] : []))))]
  return [
    ...sets.map((s) => compareGroup(s.label, [s.cases], resamples, seed)),
    ...contrasts.map((contrast) => compareGroup(`${contrast} (all sets)`, sets.map((s) => s.cases.filter((c) => c.contrast === contrast)).filter((s) => s.length > 0), resamples, seed)),
    ...(sets.length > 1 ? [compareGroup('all sets', sets.map((s) => s.cases), resamples, seed)] : []),
  ]
}

/** The comparisons as one Markdown table. */
export function comparisonTable(rows: readonly GroupComparison[]): string {
  const f = (v: number | null) => (v === null ? '-' : v.toFixed(3))
  const signed = (v: number, digits: number) => {
    const rounded = Number(v.toFixed(digits)) // no sign on what rounds to 0
    return `${rounded > 0 ? '+' : ''}${(rounded === 0 ? 0 : rounded).toFixed(digits)}`
  }
  const range = (i: Interval, digits: number) => `${signed(i.estimate, digits)} (${signed(i.low, digits)} to ${signed(i.high, digits)})`
  return [
    '| volumes | n | Dice baseline | Dice candidate | difference (95 % interval) | better / worse | Wilcoxon p | lesions found | difference (95 % interval) | false-positive lesions | difference (95 % interval) | mL marked (reference mL) | difference (95 % interval) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.cases} | ${f(r.baselineDice)} | ${f(r.candidateDice)} | ${r.diceDifference ? range(r.diceDifference, 3) : '-'} | ${r.better} / ${r.worse} | ${r.wilcoxonP.toFixed(3)} | ${r.baselineFound} -> ${r.candidateFound} | ${range(r.foundDifference, 0)} | ${r.baselineFalsePositives} -> ${r.candidateFalsePositives} | ${range(r.falsePositiveDifference, 0)} | ${r.baselineMl.toFixed(0)} -> ${r.candidateMl.toFixed(0)} (${r.referenceMl.toFixed(0)}) | ${range(r.markedMlDifference, 0)} |`,
    ),
  ].join('\n')
}
