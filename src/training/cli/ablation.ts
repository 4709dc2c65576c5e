/**
 * npm run ablation -- [--kind synth-mr] [--budget synth|quick|full]: the paper's Table 2 on our data. Trains the
 * four multi-task strategies (UNet++; + simple edge head; + LFFGM; + LFFGM + Laplacian consistency loss) with
 * identical data, sampling seeds and step counts per seed, scores each exported model on the same test volumes
 * (per volume) and on the real scans with expert masks, and writes the tables (mean ± sd over seeds; each row
 * against plain UNet++ and against the row above, volume by volume, Wilcoxon signed-rank) into ABLATION.md
 * (marked partial until every run is scored).
 * Runs are separate `train` processes, --jobs at a time; run the same command again to continue an ablation that
 * stopped (a finished run is reused, a started one resumed from its checkpoint).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ABLATION_BUDGETS, ABLATION_ROWS, configOf, finishedScores, planRuns, runState, synthModeOf, type AblationRun, type Budget, type RunScores } from '../ablation/ablationPlan'
import { ablationSection, upsertSection } from '../ablation/ablationReport'
import { selectBackend } from '../backend/selectBackend'
import { DEFAULT_LESION_MASKS_DIR, DEFAULT_SHARED_DATA_DIR } from '../data/sharedPaths'
import { findDataset, loadCase, splitOf } from '../data/datasetLayout'
import type { TrainState } from '../loop/checkpoint'
import { evaluateCases } from '../loop/evaluateCases'
import { loadModelFolder } from './modelFolder'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'
import { evaluateReal } from './evaluateReal'
import { DATASET_KINDS, makeDataset, type DatasetKind } from './makeData'

const OPTIONS = {
  kind: { type: 'string', choices: DATASET_KINDS, default: 'synth-mr', help: 'data: synth-mr / synth-ct (contrast-randomised slices drawn on the fly) or a make-data kind' },
  budget: { type: 'string', choices: ['synth', 'quick', 'full'], default: 'synth', help: 'synth: 3 seeds, the bundled recipe, 1,500 steps per run; quick: 1 seed, 320 steps; full: 3 seeds, 1,500 steps, larger UNet++' },
  work: { type: 'string', default: 'ablation-runs', help: 'folder for the datasets and the runs (kept, so that a rerun continues)' },
  scores: { type: 'string', default: 'ablation-scores', help: 'folder for the scores of finished runs (committed: a session on another machine continues from them)' },
  report: { type: 'string', default: 'ABLATION.md', help: 'markdown file whose section for this kind and budget is written' },
  jobs: { type: 'integer', default: Math.min(2, availableParallelism()), help: 'runs trained at the same time (each uses one core on WASM)' },
  'max-minutes': { type: 'number', default: 0, help: 'stop after this long (0: no limit); the runs stopped are resumed by the next call' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend for training and scoring' },
  'skip-real': { type: 'boolean', help: 'do not score the runs on the real scans (they need ../shared/data/real)' },
  masks: { type: 'string', default: DEFAULT_LESION_MASKS_DIR, help: 'lesion masks folder (synth-*, transplant-*)' },
  'shared-data': { type: 'string', default: DEFAULT_SHARED_DATA_DIR, help: 'synth-*: folder holding anatomy/ and real/' },
} as const satisfies OptionTable

const TRAIN_SCRIPT = fileURLToPath(new URL('./train.ts', import.meta.url))

export interface AblationOptions {
  readonly kind: DatasetKind
  readonly budgetName: string
  readonly budget: Budget
  readonly work: string
  readonly scores: string
  readonly report: string
  readonly jobs: number
  readonly maxMinutes: number
  readonly backend: string
  readonly skipReal: boolean
  readonly masks: string
  readonly sharedData: string
  /** The command line, for the report. */
  readonly command: string
}

/** The datasets of an ablation, made once: what trains (or validates, with --synth) and the test volumes. */
function datasetsOf(o: AblationOptions, work: string): { trainData: string; testDir: string; commands: string[] } {
  const make = (out: string, subjects: number, seed: number, extra: Record<string, string>) => {
    if (!existsSync(join(out, 'dataset.json'))) {
      rmSync(out, { recursive: true, force: true }) // a dataset cut off while it was written is made again
      makeDataset({ out, kind: o.kind, subjects, seed, masks: o.masks, 'shared-data': o.sharedData, ...extra })
    }
    return `# npm run make-data -- --out ${out} --kind ${o.kind} --subjects ${subjects} --seed ${seed}${Object.entries(extra).map(([k, v]) => ` --${k} ${v}`).join('')}`
  }
  if (!synthModeOf(o.kind)) {
    const data = join(work, 'data')
    return { trainData: data, testDir: data, commands: [make(data, o.budget.subjects, 1, {})] }
  }
  const mr = o.kind === 'synth-mr'
  const validation = join(work, 'validation')
  const test = join(work, 'test')
  return {
    trainData: validation,
    testDir: test,
    commands: [
      make(validation, o.budget.validation, 12, { 'mask-role': 'validation', ...(mr && { contrasts: 't1,t2,flair,dwi,adc,random' }) }),
      make(test, o.budget.test, 101, { 'mask-role': 'benchmark', ...(mr && { contrasts: 't1,t2,flair,dwi' }) }),
    ],
  }
}

function trainInChild(run: AblationRun, resume: boolean, maxMinutes: number): Promise<void> {
  const args = [...run.args, ...(resume ? ['--resume'] : [])] // a resumed run keeps its options and the run's epochs
  if (maxMinutes > 0) args.push('--max-minutes', String(maxMinutes))
  return new Promise((resolve, reject) => {
    // The child runs train.ts under tsx's loader, as `npm run train` does.
    const child = spawn(process.execPath, ['--import', 'tsx', TRAIN_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let logTail = '' // the last lines, for the error message
    const keep = (chunk: Buffer) => (logTail = (logTail + chunk.toString()).slice(-4000))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`training ${run.out} failed (exit ${code}):\n${logTail.split(/[\r\n]+/).slice(-20).join('\n')}`))))
  })
}

/** Scores a trained run's exported model on the test volumes (and the real scans) and keeps the scores beside it. */
async function scoreRun(run: AblationRun, testDir: string, o: AblationOptions): Promise<RunScores> {
  const { model, card } = await loadModelFolder(run.out)
  const dataset = findDataset(testDir)
  const ids = synthModeOf(o.kind) ? dataset.cases.map((c) => c.id) : splitOf(dataset, run.seed).test
  let test
  try {
    test = await evaluateCases(dataset.cases.filter((c) => ids.includes(c.id)).map(loadCase), { model, card })
  } finally {
    model.dispose()
  }
  const real = o.skipReal || card.modality !== 'MR' ? null : (await evaluateReal(['--model', run.out, '--backend', o.backend])).scores
  const state = JSON.parse(readFileSync(join(run.checkpoint, 'state.json'), 'utf8')) as TrainState
  const scores: RunScores = { config: configOf(run), test: { perVolume: test.perVolume, lesionDetection: test.lesionDetection, cases: test.cases }, real, bestEpoch: state.bestEpoch, trainSeconds: Math.round(state.trainSeconds), history: state.history }
  mkdirSync(dirname(run.scores), { recursive: true })
  writeFileSync(run.scores, JSON.stringify(scores, null, 1) + '\n')
  return scores
}

/** Trains what is not trained, scores what is, --jobs at a time, until done or out of time. */
async function runAll(runs: readonly AblationRun[], testDir: string, o: AblationOptions): Promise<void> {
  const queue = runs.filter((run) => runState(run) !== 'done')
  const deadline = o.maxMinutes > 0 ? Date.now() + o.maxMinutes * 60_000 : Infinity
  const worker = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      const state = runState(run)
      const minutesLeft = Math.floor((deadline - Date.now()) / 60_000)
      if (state !== 'trained') {
        if (minutesLeft < 5) return
        console.log(`${state === 'started' ? 'continuing' : 'training'} ${run.row.label}, seed ${run.seed} -> ${run.out}`)
        await trainInChild(run, state === 'started', Number.isFinite(minutesLeft) ? minutesLeft : 0)
      }
      if (runState(run) !== 'trained') continue // stopped by the time budget: the next call resumes it
      const scores = await scoreRun(run, testDir, o)
      console.log(`scored ${run.out}: test Dice ${scores.test.perVolume.meanDice?.toFixed(3)}`)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker))
}

/** Makes the datasets (once), trains and scores the runs that are not done, and writes the report (marked partial until all are). */
export async function runAblation(o: AblationOptions): Promise<string | null> {
  const work = join(o.work, `${o.kind}-${o.budgetName}`)
  const { trainData, testDir, commands } = datasetsOf(o, work)
  const runs = planRuns(o.kind, o.budget, work, join(o.scores, `${o.kind}-${o.budgetName}`), trainData, o.backend)
  await selectBackend(o.backend as 'auto')
  await runAll(runs, testDir, o)
  const scored = runs.map(finishedScores)
  const done = scored.filter(Boolean).length
  if (done < runs.length) console.log(`${done} of ${runs.length} runs scored; run the same command again to continue.`)
  if (done === 0) return null
  const rows = ABLATION_ROWS.map((row) => ({ label: row.label, runs: o.budget.seeds.map((seed) => scored[runs.findIndex((r) => r.row === row && r.seed === seed)]) }))
  const hours = scored.reduce((s, r) => s + (r?.trainSeconds ?? 0), 0) / 3600
  const title = `${o.kind}, budget ${o.budgetName}`
  const section = ablationSection(title, rows, [o.command, '# which made:', ...commands, '# and ran, per run:', ...runs.map((r) => `# npm run train -- ${r.args.join(' ')}`)], hours)
  const report = existsSync(o.report) ? readFileSync(o.report, 'utf8') : "# Ablation: the paper's Table 2 on our data\n"
  writeFileSync(o.report, upsertSection(report, section))
  console.log(`\n${section}\nwritten to ${o.report}`)
  return section
}

async function main(argv: string[]): Promise<void> {
  const o = parseOptions(argv, OPTIONS)
  if (o.jobs < 1) throw new UsageError('--jobs must be at least 1')
  const budgetName = o.budget as keyof typeof ABLATION_BUDGETS
  if ((budgetName === 'synth') !== (synthModeOf(o.kind) !== null)) throw new UsageError(`--budget synth goes with --kind synth-mr or synth-ct, the others with the other kinds`)
  await runAblation({
    kind: o.kind,
    budgetName,
    budget: ABLATION_BUDGETS[budgetName],
    work: o.work,
    scores: o.scores,
    report: o.report,
    jobs: o.jobs,
    maxMinutes: o['max-minutes'],
    backend: o.backend,
    skipReal: Boolean(o['skip-real']),
    masks: o.masks,
    sharedData: o['shared-data'],
    command: `npm run ablation -- ${argv.join(' ')}`,
  })
}

if (process.argv[1]?.endsWith('ablation.ts')) {
  runCli(helpText('ablation', "Trains the four rows of the paper's Table 2 on identical data and seeds, scores them per test volume and on the real scans; writes ABLATION.md.", OPTIONS), main)
}
