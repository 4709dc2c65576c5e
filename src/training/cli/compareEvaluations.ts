/**
 * npm run compare-evaluations -- --baseline A.json[,A2.json...] --candidate B.json[,B2.json...]: two models'
 * evaluations (`npm run evaluate -- --json`) of the same volumes, compared volume by volume, set by set, by
 * contrast and over all sets, with bootstrap intervals and Wilcoxon p (pairedComparison.ts). The files pair up in
 * order; each pair must have scored the same volumes (the same data digest and case ids).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { contrastsById, readDatasetInfo } from '../data/datasetLayout'
import { detectionBySize, type SizeBandDetection } from '../loop/detectionBySize'
import type { CaseEvaluation } from '../loop/evaluateCases'
import { compareSets, comparisonTable, type GroupComparison, type PairedSet } from '../loop/pairedComparison'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

const OPTIONS = {
  baseline: { type: 'string', required: true, help: "the baseline model's evaluation JSON files, comma-separated" },
  candidate: { type: 'string', required: true, help: "the candidate model's evaluation JSON files of the same sets, comma-separated, in the same order" },
  resamples: { type: 'integer', default: 10000, help: 'bootstrap resamples' },
  seed: { type: 'integer', default: 1, help: "the bootstrap's seed" },
  json: { type: 'string', help: 'also write the comparison here' },
} as const satisfies OptionTable

/** What compare-evaluations reads of an evaluation JSON. */
interface EvaluationFile {
  readonly data: string
  readonly dataDigest: string
  readonly cases: ReadonlyArray<Pick<CaseEvaluation, 'id' | 'dice' | 'lesionsDetected' | 'falsePositiveLesions' | 'predictedMl' | 'referenceMl'> & Partial<Pick<CaseEvaluation, 'referenceLesions'>>>
}

function readEvaluation(path: string): EvaluationFile {
  if (!existsSync(path)) throw new UsageError(`${path} not found`)
  let parsed: Partial<EvaluationFile>
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<EvaluationFile>
  } catch (e) {
    throw new UsageError(`${path} is not JSON: ${(e as Error).message}`)
  }
  if (typeof parsed.data !== 'string' || typeof parsed.dataDigest !== 'string' || !Array.isArray(parsed.cases)) {
    throw new UsageError(`${path} is not an evaluation written by npm run evaluate (it needs data, dataDigest and cases)`)
  }
  return parsed as EvaluationFile
}

/** The volumes of one baseline file and its candidate file, paired by id, with the contrasts their dataset records. */
function pairEvaluations(baselinePath: string, candidatePath: string): PairedSet & { readonly files: readonly [EvaluationFile, EvaluationFile] } {
  const [a, b] = [readEvaluation(baselinePath), readEvaluation(candidatePath)]
  if (a.dataDigest !== b.dataDigest) {
    throw new UsageError(`${baselinePath} and ${candidatePath} scored different volumes (data digests ${a.dataDigest} and ${b.dataDigest}): pair the files of the same set`)
  }
  const candidateById = new Map(b.cases.map((c) => [c.id, c]))
  const missing = a.cases.find((c) => !candidateById.has(c.id))
  if (missing || a.cases.length !== b.cases.length) {
    throw new UsageError(`${baselinePath} and ${candidatePath} scored different splits of ${a.data}${missing ? ` (${missing.id} is only in the first)` : ''}`)
  }
  const contrastOf = contrastsById(readDatasetInfo(a.data))
  return {
    label: basename(a.data),
    cases: a.cases.map((c) => ({ id: c.id, contrast: contrastOf.get(c.id), referenceMl: c.referenceMl, baseline: c, candidate: candidateById.get(c.id)! })),
    files: [a, b],
  }
}

/** Lesions found by size over all the sets, by each model; null when a file predates evaluate recording each lesion's size. */
function detectionBySizeOf(pairs: ReadonlyArray<{ readonly files: readonly [EvaluationFile, EvaluationFile] }>): BySizeComparison | null {
  const [baseline, candidate] = [0, 1].map((n) => pairs.flatMap((p) => p.files[n].cases.map((c) => ({ referenceLesions: c.referenceLesions }))))
  const withSizes = (cases: typeof baseline): cases is Array<Pick<CaseEvaluation, 'referenceLesions'>> => cases.every((c) => Array.isArray(c.referenceLesions))
  return withSizes(baseline) && withSizes(candidate) ? { baseline: detectionBySize(baseline), candidate: detectionBySize(candidate) } : null
}

export interface BySizeComparison {
  readonly baseline: SizeBandDetection[]
  readonly candidate: SizeBandDetection[]
}

function bySizeTable(bySize: BySizeComparison | null): string {
  if (bySize === null) return "lesions found by size: not in these files (evaluate them again: npm run evaluate now records each lesion's size)"
  return [
    '| lesion size (all sets) | lesions | found: baseline -> candidate |',
    '|---|---|---|',
    ...bySize.baseline.map((band, n) => `| ${band.band} | ${band.lesions} | ${band.found} -> ${bySize.candidate[n].found} |`),
  ].join('\n')
}

export function compareEvaluations(argv: string[]): { rows: GroupComparison[]; bySize: BySizeComparison | null } {
  const o = parseOptions(argv, OPTIONS)
  const [baselines, candidates] = [o.baseline, o.candidate].map((list) => list.split(',').map((p) => p.trim()).filter(Boolean))
  if (baselines.length !== candidates.length) throw new UsageError(`--baseline names ${baselines.length} files and --candidate ${candidates.length}: they pair up in order`)
  if (!(o.resamples >= 100)) throw new UsageError('--resamples must be at least 100')
  const pairs = baselines.map((path, i) => pairEvaluations(path, candidates[i]))
  const rows = compareSets(pairs, o.resamples, o.seed)
  console.log(comparisonTable(rows))
  console.log(`\ncandidate - baseline; 95 % intervals from ${o.resamples} bootstrap resamples of the volumes within each set (seed ${o.seed})\n`)
  const bySize = detectionBySizeOf(pairs)
  console.log(bySizeTable(bySize))
  if (o.json) writeFileSync(o.json, JSON.stringify({ baseline: baselines, candidate: candidates, resamples: o.resamples, seed: o.seed, rows, bySize }, null, 1) + '\n')
  return { rows, bySize }
}

if (process.argv[1]?.endsWith('compareEvaluations.ts')) {
  runCli(helpText('compare-evaluations', 'Compares two models evaluated on the same volumes: differences with bootstrap intervals.', OPTIONS), async (argv) => {
    compareEvaluations(argv)
  })
}
