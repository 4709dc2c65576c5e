/**
 * The ablation's markdown: per row, the test scores as mean ± sd over seeds (of each seed's mean over the test
 * volumes), lesions found and the real scans; then rows against each other volume by volume (same seed, same
 * volume), with the Wilcoxon signed-rank test and the seed-to-seed spread of the difference.
 */
import type { RealScanScore } from '../cli/evaluateReal'
import type { RunScores } from './ablationPlan'
import { signedRankTest } from './signedRank'

export interface RowScores {
  readonly label: string
  /** One per seed, in the same seed order for every row; null where that run is not scored yet. */
  readonly runs: readonly (RunScores | null)[]
}

const scoredRuns = (runs: RowScores['runs']) => runs.filter((r): r is RunScores => r !== null)

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length
const sd = (v: readonly number[]) => (v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)))
const cell = (v: readonly number[], digits = 4) => (v.length === 0 ? '-' : v.length > 1 ? `${mean(v).toFixed(digits)} ± ${sd(v).toFixed(digits)}` : mean(v).toFixed(digits))

/** Per-case Dice of a run's test volumes (both-empty cases left out), by case id. */
function diceByCase(run: RunScores): Map<string, number> {
  return new Map(run.test.cases.filter((c) => c.dice !== null).map((c) => [c.id, c.dice as number]))
}

function realDice(runs: readonly RunScores[], contrast: string): number[] {
  return runs.flatMap((r) => (r.real ?? []).filter((s: RealScanScore) => s.contrast === contrast && s.dice !== null).map((s) => s.dice as number))
}

export function scoreTable(rows: readonly RowScores[]): string {
  const lines = [
    '| method | test Dice (mean ± sd over seeds) | test IoU | lesions found | real FLAIR Dice | real T2 Dice | per seed Dice | test volumes | best epochs |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(({ label, runs: seeds }) => {
      const runs = scoredRuns(seeds)
      const dice = runs.map((r) => r.test.perVolume.meanDice ?? 0)
      const iou = runs.map((r) => r.test.perVolume.meanIou ?? 0)
      const found = runs.reduce((n, r) => n + r.test.lesionDetection.detected, 0)
      const lesions = runs.reduce((n, r) => n + r.test.lesionDetection.lesions, 0)
      return `| ${label} | ${cell(dice)} | ${cell(iou)} | ${found}/${lesions} (${lesions ? Math.round((100 * found) / lesions) : 0} %) | ${cell(realDice(runs, 'FLAIR'), 3)} | ${cell(realDice(runs, 'T2'), 3)} | ${seeds.map((r) => r?.test.perVolume.meanDice?.toFixed(3) ?? '-').join(', ')} | ${runs[0]?.test.cases.length ?? 0} | ${seeds.map((r) => r?.bestEpoch ?? '-').join(', ')} |`
    }),
  ]
  return lines.join('\n')
}

/**
 * Each row against the first (plain UNet++), then each row from the third on against the row above it (the
 * step the paper's table takes: LFFGM over a simple edge head, the Laplacian term over LFFGM alone): volume by
 * volume within each seed that both rows have scored.
 */
export function pairedTable(rows: readonly RowScores[]): string {
  const [baseline, ...others] = rows
  const pairs = [...others.map((row) => [row, baseline] as const), ...rows.slice(2).map((row, i) => [row, rows[i + 1]] as const)]
  return [
    '| comparison (A vs B) | mean Dice difference per volume (A - B) | sd of the per-seed mean difference | volumes better / worse | Wilcoxon signed-rank p (pairs) |',
    '|---|---|---|---|---|',
    ...pairs.map(([a, b]) => pairedRow(a, b)),
  ].join('\n')
}

function pairedRow(a: RowScores, b: RowScores): string {
  const differences: number[] = []
  const perSeed: number[] = []
  a.runs.forEach((run, s) => {
    const other = b.runs[s]
    if (!run || !other) return
    const base = diceByCase(other)
    const seedDifferences = [...diceByCase(run)].filter(([id]) => base.has(id)).map(([id, dice]) => dice - base.get(id)!)
    differences.push(...seedDifferences)
    if (seedDifferences.length > 0) perSeed.push(mean(seedDifferences))
  })
  const test = signedRankTest(differences)
  const better = differences.filter((d) => d > 0).length
  const worse = differences.filter((d) => d < 0).length
  const sign = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(4)}`
  return `| ${a.label} vs ${b.label} | ${differences.length ? sign(mean(differences)) : '-'} | ${perSeed.length > 1 ? sd(perSeed).toFixed(4) : '-'} | ${better} / ${worse} | ${test.p.toFixed(3)} (${test.n}) |`
}

/** Validation Dice after each epoch, mean over the scored seeds: whether a row had converged. */
export function historyTable(rows: readonly RowScores[]): string {
  const epochs = Math.max(0, ...rows.flatMap(({ runs }) => scoredRuns(runs).map((r) => r.history.length)))
  const epochNumbers = Array.from({ length: epochs }, (_, e) => e + 1)
  return [
    `| validation Dice (mean over seeds) | ${epochNumbers.map((e) => `epoch ${e}`).join(' | ')} |`,
    `|---|${epochNumbers.map(() => '---|').join('')}`,
    ...rows.map(({ label, runs }) => {
      const perEpoch = epochNumbers.map((e) => scoredRuns(runs).flatMap((r) => r.history.filter((h) => h.epoch === e && h.validationDice !== null).map((h) => h.validationDice as number)))
      return `| ${label} | ${perEpoch.map((v) => (v.length ? mean(v).toFixed(3) : '-')).join(' | ')} |`
    }),
  ].join('\n')
}

export function ablationSection(title: string, rows: readonly RowScores[], commands: readonly string[], trainHours: number): string {
  const runs = rows.flatMap((row) => row.runs)
  const scored = scoredRuns(runs).length
  return [
    `## ${title}`,
    '',
    ...(scored < runs.length ? [`**Partial: ${scored} of ${runs.length} runs scored** ('-': not yet); the same command continues the ablation.`, ''] : []),
    scoreTable(rows),
    '',
    pairedTable(rows),
    '',
    historyTable(rows),
    '',
    `Training time: ${trainHours.toFixed(1)} hours of one core over the scored runs.`,
    '',
    'Commands:',
    '',
    '```',
    ...commands,
    '```',
    '',
  ].join('\n')
}

/** Replaces the section with the same `## title` line in the report, or appends it. */
export function upsertSection(report: string, section: string): string {
  const title = section.split('\n')[0]
  const start = report.indexOf(`${title}\n`)
  if (start < 0) return `${report.trimEnd()}\n\n${section}`
  const next = report.indexOf('\n## ', start + title.length)
  return report.slice(0, start) + section + (next < 0 ? '' : report.slice(next + 1))
}
