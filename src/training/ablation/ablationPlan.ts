/**
 * What an ablation trains: the four rows of the paper's Table 2, each with the same data, sampling seeds and
 * step counts per seed, and where each run keeps its model, checkpoint and scores, so that an interrupted
 * ablation continues where it stopped (a finished run is reused, a started one resumed from its checkpoint).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseOptions } from '../cli/args'
import type { DatasetKind } from '../cli/makeData'
import { modelDefiningOptions, TRAIN_OPTIONS } from '../cli/train'
import type { Evaluation } from '../loop/evaluateCases'
import type { TrainState } from '../loop/checkpoint'
import type { RealScanScore } from '../cli/evaluateReal'

/** The rows of the paper's Table 2, in its order. */
export const ABLATION_ROWS = [
  { id: 'unetpp', label: 'UNet++', args: ['--aux', 'none', '--lap-weight', '0'] },
  { id: 'simple-edge', label: 'UNet++ + simple edge head', args: ['--aux', 'simple', '--lap-weight', '0'] },
  { id: 'lffgm', label: 'UNet++ + LFFGM', args: ['--aux', 'lffgm', '--lap-weight', '0'] },
  { id: 'lffgm-lap', label: 'UNet++ + LFFGM + consistency loss (the method)', args: ['--aux', 'lffgm', '--lap-weight', '10'] },
] as const

export type AblationRow = (typeof ABLATION_ROWS)[number]

export interface Budget {
  readonly seeds: readonly number[]
  readonly train: readonly string[]
  /** Datasets of make-data kinds (train, validation and test split from one set of cases). */
  readonly subjects: number
  /** Synthetic kinds (`--synth`: training slices drawn on the fly): validation and test volumes, made apart. */
  readonly validation: number
  readonly test: number
}

/**
 * quick: one seed, a small UNet++ and 320 steps per row (about 50 minutes with --jobs 2). full: three seeds,
 * the default filters and 1,500 steps per row (hours). synth: the bundled models' recipe (UNet++ [8..128], 64x64
 * slices at 2 mm, batch 16), three seeds, 1,500 steps per row in 5 epochs (validating 12 volumes takes ~3 minutes,
 * so not after every 100 steps): about an hour per run on one core, 12 core-hours for the twelve runs, continued
 * across sessions.
 */
export const ABLATION_BUDGETS: Record<'quick' | 'full' | 'synth', Budget> = {
  quick: { subjects: 30, validation: 0, test: 0, seeds: [1], train: ['--filters', '8,16,32,64,128', '--epochs', '8', '--steps-per-epoch', '40', '--val-cases', '4'] },
  full: { subjects: 60, validation: 0, test: 0, seeds: [1, 2, 3], train: ['--filters', '16,32,64,128,256', '--epochs', '30', '--steps-per-epoch', '50', '--val-cases', '6'] },
  synth: {
    subjects: 0,
    validation: 12,
    test: 20,
    seeds: [1, 2, 3],
    train: ['--filters', '8,16,32,64,128', '--size', '64', '--batch', '16', '--epochs', '5', '--steps-per-epoch', '300', '--val-cases', '12', '--lesion-fraction', '0.5', '--lap-warmup', '300'],
  },
}

export interface AblationRun {
  readonly row: AblationRow
  readonly seed: number
  readonly out: string
  readonly checkpoint: string
  /** The run's scores, kept apart from its work folder so that they can be committed. */
  readonly scores: string
  /** The train command line of a fresh run (a resumed one adds --resume). */
  readonly args: readonly string[]
}

/** What a finished run is scored on: its test volumes (per case) and, for MR, the real scans with expert masks. */
export interface RunScores {
  /** The options that define the run's model (train's modelDefiningOptions): a run with others is not this one. */
  readonly config: object
  readonly test: Pick<Evaluation, 'perVolume' | 'lesionDetection' | 'cases'>
  readonly real: readonly RealScanScore[] | null
  readonly bestEpoch: number | null
  readonly trainSeconds: number
  /** Training loss and validation Dice per epoch: did the run converge. */
  readonly history: TrainState['history']
}

/** A synthetic kind trains on slices drawn on the fly (train --synth); the others on a make-data dataset. */
export function synthModeOf(kind: DatasetKind): 'mr' | 'ct' | null {
  return kind === 'synth-mr' ? 'mr' : kind === 'synth-ct' ? 'ct' : null
}

/**
 * The runs in the order they are trained: plain UNet++ and the full method first, seed by seed, then the two
 * middle rows, so that an ablation spread over several sessions has the paper's main comparison first.
 */
export function planRuns(kind: DatasetKind, budget: Budget, work: string, scoresDir: string, trainData: string, backend: string): AblationRun[] {
  const synth = synthModeOf(kind)
  const [plain, simpleEdge, lffgm, method] = ABLATION_ROWS
  return [[plain, method], [simpleEdge, lffgm]].flatMap((rows) => budget.seeds.flatMap((seed) =>
    rows.map((row) => {
      const out = join(work, `${row.id}-seed${seed}`)
      const checkpoint = join(out, 'checkpoint')
      const scores = join(scoresDir, `${row.id}-seed${seed}.json`)
      const args = [
        ...(synth ? ['--synth', synth] : []),
        '--data', trainData, '--out', out, '--checkpoint', checkpoint, ...budget.train, ...row.args,
        '--seed', String(seed), '--backend', backend, '--name', `ablation-${row.id}-seed${seed}`,
      ]
      return { row, seed, out, checkpoint, scores, args }
    }),
  ))
}

/** The model-defining options of a run, as train parses them (defaults included). */
export function configOf(run: AblationRun): ReturnType<typeof modelDefiningOptions> {
  return modelDefiningOptions(parseOptions([...run.args], TRAIN_OPTIONS))
}

/** Options that say where files are, not what is trained: the same run in another folder or on another machine. */
const LOCATION_OPTIONS = ['data', 'out', 'masks', 'shared-data'] as const

/** Whether a recorded config (scores or checkpoint) is this run's, wherever its files were. */
function isConfigOf(recorded: object, run: AblationRun): boolean {
  const withoutLocations = (config: object) => JSON.stringify({ ...config, ...Object.fromEntries(LOCATION_OPTIONS.map((key) => [key, undefined])) })
  return withoutLocations(recorded) === withoutLocations(configOf(run))
}

/** The scores of a finished run with this run's options, or null. */
export function finishedScores(run: AblationRun): RunScores | null {
  if (!existsSync(run.scores)) return null
  const scores = JSON.parse(readFileSync(run.scores, 'utf8')) as RunScores
  return isConfigOf(scores.config, run) ? scores : null
}

/** Where a run stands: 'done' (scored), 'trained' (every epoch, not scored yet), 'started' (a checkpoint of it), or 'new'. */
export function runState(run: AblationRun): 'done' | 'trained' | 'started' | 'new' {
  if (finishedScores(run)) return 'done'
  const statePath = join(run.checkpoint, 'state.json')
  if (!existsSync(statePath)) return 'new'
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as TrainState
  if (!isConfigOf(modelDefiningOptions(state.options), run)) return 'new' // another run's checkpoint: start over
  return state.epoch >= state.options.epochs && existsSync(join(run.out, 'model.json')) ? 'trained' : 'started'
}
