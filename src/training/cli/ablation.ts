/**
 * npm run ablation -- [--kind transplant-t1] [--budget quick|full]: the paper's Table 2 on our data. Trains
 * the four multi-task strategies (UNet++; + simple edge head; + LFFGM; + LFFGM + Laplacian consistency loss)
 * on one dataset with identical splits, sampling seeds and step counts, scores each exported model on the
 * same test subjects, and writes a markdown table (mean Dice and IoU, spread over seeds) into ABLATION.md.
 * Rows run as separate `train` processes, --jobs at a time; a row whose model card already holds test
 * scores for the same command is reused, so an interrupted ablation continues where it stopped.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModelCard } from '../../pipeline/modelCard'
import { DEFAULT_LESION_MASKS_DIR, DEFAULT_TEMPLATES_DIR } from '../data/sharedPaths'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'
import { DATASET_KINDS, makeDataset, type DatasetKind } from './makeData'
import { modelDefiningOptions, TRAIN_OPTIONS } from './train'

/** The rows of the paper's Table 2, in its order. */
export const ABLATION_ROWS = [
  { id: 'unetpp', label: 'UNet++', args: ['--aux', 'none', '--lap-weight', '0'] },
  { id: 'simple-edge', label: 'UNet++ + simple edge head', args: ['--aux', 'simple', '--lap-weight', '0'] },
  { id: 'lffgm', label: 'UNet++ + LFFGM', args: ['--aux', 'lffgm', '--lap-weight', '0'] },
  { id: 'lffgm-lap', label: 'UNet++ + LFFGM + consistency loss (the method)', args: ['--aux', 'lffgm', '--lap-weight', '10'] },
] as const

export interface Budget {
  readonly subjects: number
  readonly seeds: readonly number[]
  readonly train: readonly string[]
}

/**
 * quick: one seed, a small UNet++ and 320 steps per row; on the 2-core reference machine the four rows take
 * about 50 minutes with --jobs 2. full: three seeds, the default filters and 1,500 steps per row (hours).
 */
export const ABLATION_BUDGETS: Record<'quick' | 'full', Budget> = {
  quick: { subjects: 30, seeds: [1], train: ['--filters', '8,16,32,64,128', '--epochs', '8', '--steps-per-epoch', '40', '--val-cases', '4'] },
  full: { subjects: 60, seeds: [1, 2, 3], train: ['--filters', '16,32,64,128,256', '--epochs', '30', '--steps-per-epoch', '50', '--val-cases', '6'] },
}

const OPTIONS = {
  kind: { type: 'string', choices: DATASET_KINDS, default: 'transplant-t1', help: 'dataset kind generated for the ablation (make-data --kind)' },
  budget: { type: 'string', choices: ['quick', 'full'], default: 'quick', help: 'quick: 1 seed, small model (~50 min); full: 3 seeds, default model (hours)' },
  work: { type: 'string', default: 'ablation-runs', help: 'folder for the dataset and the trained rows (kept, so a rerun continues)' },
  report: { type: 'string', default: 'ABLATION.md', help: 'markdown file whose section for this kind and budget is written' },
  jobs: { type: 'integer', default: Math.min(2, availableParallelism()), help: 'rows trained at the same time (each uses one core on WASM)' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend for training' },
  masks: { type: 'string', default: DEFAULT_LESION_MASKS_DIR, help: 'transplant-*: lesion masks folder' },
  templates: { type: 'string', default: DEFAULT_TEMPLATES_DIR, help: 'transplant-*: templates folder' },
} as const satisfies OptionTable

interface RunPlan {
  readonly row: (typeof ABLATION_ROWS)[number]
  readonly seed: number
  readonly out: string
  readonly args: string[]
}

const TRAIN_SCRIPT = fileURLToPath(new URL('./train.ts', import.meta.url))

function plan(o: AblationOptions, dataDir: string): RunPlan[] {
  const budget = o.budget
  return budget.seeds.flatMap((seed) =>
    ABLATION_ROWS.map((row) => {
      const out = join(o.work, `${o.kind}-${o.budgetName}`, `${row.id}-seed${seed}`)
      const args = ['--data', dataDir, '--out', out, ...budget.train, ...row.args, '--seed', String(seed), '--backend', o.backend, '--name', `ablation-${row.id}-seed${seed}`]
      return { row, seed, out, args }
    }),
  )
}

/** The card of a finished run with this run's options (as train parses them, defaults included), or null. */
function finishedCard(run: RunPlan): ModelCard | null {
  const path = join(run.out, 'model-card.json')
  if (!existsSync(path)) return null
  const card = JSON.parse(readFileSync(path, 'utf8')) as ModelCard
  const sameRun = JSON.stringify(card.training.config) === JSON.stringify(modelDefiningOptions(parseOptions(run.args, TRAIN_OPTIONS)))
  return sameRun && card.metrics.test ? card : null
}

function trainInChild(run: RunPlan): Promise<void> {
  return new Promise((resolve, reject) => {
    // The child runs train.ts under tsx's loader, as `npm run train` does.
    const child = spawn(process.execPath, ['--import', 'tsx', TRAIN_SCRIPT, ...run.args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let logTail = '' // the last lines, for the error message
    const keep = (chunk: Buffer) => (logTail = (logTail + chunk.toString()).slice(-4000))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`training ${run.out} failed (exit ${code}):\n${logTail.split(/[\r\n]+/).slice(-20).join('\n')}`))))
  })
}

async function runAll(runs: RunPlan[], jobs: number): Promise<void> {
  const queue = [...runs]
  let started = 0
  const worker = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      console.log(`[${++started}/${runs.length}] training ${run.row.label}, seed ${run.seed} -> ${run.out}`)
      const t0 = Date.now()
      await trainInChild(run)
      console.log(`done ${run.out}: test Dice ${finishedCard(run)?.metrics.test?.dice.toFixed(3)} in ${((Date.now() - t0) / 60000).toFixed(1)} min`)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker))
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
const sd = (v: number[]) => (v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)))
const cell = (v: number[]) => (v.length > 1 ? `${mean(v).toFixed(4)} ± ${sd(v).toFixed(4)}` : mean(v).toFixed(4))

/** The markdown section for one ablation: the table, per-seed scores, and the commands that made it. */
export function ablationSection(title: string, rows: Array<{ label: string; cards: ModelCard[] }>, commands: string[]): string {
  const seeds = rows[0]?.cards.length ?? 0
  const table = [
    `| method | test Dice${seeds > 1 ? ' (mean ± sd)' : ''} | test IoU${seeds > 1 ? ' (mean ± sd)' : ''} | per seed Dice | test cases | best epoch |`,
    '|---|---|---|---|---|---|',
    ...rows.map(({ label, cards }) => {
      const dice = cards.map((c) => c.metrics.test!.dice)
      const iou = cards.map((c) => c.metrics.test!.iou)
      const epochs = cards.map((c) => String(c.training.bestEpoch ?? '-'))
      return `| ${label} | ${cell(dice)} | ${cell(iou)} | ${dice.map((d) => d.toFixed(3)).join(', ')} | ${cards[0].metrics.test!.cases} | ${epochs.join(', ')} |`
    }),
  ]
  return `## ${title}\n\n${table.join('\n')}\n\nCommands (each row's model card in its folder has the full training history):\n\n\`\`\`\n${commands.join('\n')}\n\`\`\`\n`
}

/** Replaces the section with the same `## title` line in the report, or appends it. */
export function upsertSection(report: string, section: string): string {
  const title = section.split('\n')[0]
  const start = report.indexOf(`${title}\n`)
  if (start < 0) return `${report.trimEnd()}\n\n${section}`
  const next = report.indexOf('\n## ', start + title.length)
  return report.slice(0, start) + section + (next < 0 ? '' : report.slice(next + 1))
}

export interface AblationOptions {
  readonly kind: DatasetKind
  readonly budgetName: string
  readonly budget: Budget
  readonly work: string
  readonly report: string
  readonly jobs: number
  readonly backend: string
  readonly masks: string
  readonly templates: string
  /** The command line, for the report. */
  readonly command: string
}

/** Makes the dataset (once), trains the rows that are not finished, and writes the report section. */
export async function runAblation(o: AblationOptions): Promise<string> {
  const dataDir = join(o.work, `${o.kind}-${o.budgetName}-data`)
  if (!existsSync(join(dataDir, 'dataset.json'))) {
    console.log(`writing the ${o.kind} dataset (${o.budget.subjects} subjects, seed 1) to ${dataDir}`)
    makeDataset({ out: dataDir, kind: o.kind, subjects: o.budget.subjects, seed: 1, masks: o.masks, templates: o.templates })
  }
  const runs = plan(o, dataDir)
  const todo = runs.filter((run) => !finishedCard(run))
  if (todo.length < runs.length) console.log(`${runs.length - todo.length} of ${runs.length} runs already finished; reusing them`)
  const t0 = Date.now()
  await runAll(todo, o.jobs)
  const rows = ABLATION_ROWS.map((row) => ({ label: row.label, cards: runs.filter((r) => r.row === row).map((r) => finishedCard(r)!) }))
  const title = `${o.kind}, budget ${o.budgetName} (${new Date().toISOString().slice(0, 10)})`
  const commands = [
    o.command,
    `# which ran: npm run make-data -- --out ${dataDir} --kind ${o.kind} --subjects ${o.budget.subjects} --seed 1`,
    ...runs.map((r) => `# and: npm run train -- ${r.args.join(' ')}`),
  ]
  const section = ablationSection(title, rows, commands)
  const report = existsSync(o.report) ? readFileSync(o.report, 'utf8') : "# Ablation: the paper's Table 2 on our data\n"
  writeFileSync(o.report, upsertSection(report, section))
  console.log(`\n${section}\nwritten to ${o.report} (${((Date.now() - t0) / 60000).toFixed(1)} min)`)
  return section
}

async function main(argv: string[]): Promise<void> {
  const o = parseOptions(argv, OPTIONS)
  if (o._.length > 0) throw new UsageError(`unexpected argument '${o._[0]}' (see --help)`)
  if (o.jobs < 1) throw new UsageError('--jobs must be at least 1')
  const budgetName = o.budget as 'quick' | 'full'
  await runAblation({
    ...(o as unknown as Omit<AblationOptions, 'budget' | 'budgetName' | 'command'>),
    budgetName,
    budget: ABLATION_BUDGETS[budgetName],
    command: `npm run ablation -- ${argv.join(' ')}`,
  })
}

if (process.argv[1]?.endsWith('ablation.ts')) {
  runCli(helpText('ablation', "Trains the four rows of the paper's Table 2 on identical data, splits and seeds; writes their test scores to ABLATION.md.", OPTIONS), main)
}
