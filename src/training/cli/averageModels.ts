/**
 * npm run average-models -- MODEL_DIR MODEL_DIR... --out DIR [--weights 1,1,...]: one model whose every weight
 * is the weighted mean of the same weight in the given models ("model soup", Wortsman et al. 2022; with the run
 * they were fine-tuned from among them, WiSE-FT). Only models fine-tuned from one checkpoint average into a
 * working model; the folders must share the architecture, input and normalisation. The card is the first
 * model's (its thresholds too: choose them again with tune-threshold), with the ingredients named and the scores cleared.
 */
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { ModelCard } from '../../pipeline/modelCard'
import { selectBackend } from '../backend/selectBackend'
import { saveModelFiles } from '../io/modelFiles'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'
import { loadModelFolder, roundScore, writeModelCard } from './modelFolder'

const OPTIONS = {
  out: { type: 'string', required: true, help: 'folder for the averaged model (created)' },
  weights: { type: 'list', help: 'one weight per model, normalised to sum 1 (default: equal)' },
  name: { type: 'string', help: "the averaged model's name in its card (default: the first model's)" },
} as const satisfies OptionTable

/** What must agree between the ingredients for their mean to take the first one's input (thresholds are chosen again on the result). */
const sameUse = (card: ModelCard) => JSON.stringify([card.architecture, card.input, card.normalization])

/** The weighted mean of each weight over the models, as tensors in the first model's weight order. */
export function averageWeights(models: readonly tf.LayersModel[], shares: readonly number[]): tf.Tensor[] {
  return tf.tidy(() =>
    models[0].weights.map((w, i) => {
      const same = models.map((m) => m.weights[i])
      const bad = same.find((v) => v.shape.join() !== w.shape.join())
      if (bad) throw new UsageError(`weight ${i} (${w.originalName}) has shape [${bad.shape}] in one model and [${w.shape}] in the first`)
      return tf.addN(same.map((v, k) => v.read().mul(shares[k]))) // [...w.shape]
    }),
  )
}

export async function averageModels(argv: string[]): Promise<string> {
  const o = parseOptions(argv, OPTIONS, true)
  if (o._.length < 2) throw new UsageError('name at least two model folders to average (see --help)')
  const raw = o.weights ?? o._.map(() => 1)
  const total = raw.reduce((a, b) => a + b, 0)
  if (raw.length !== o._.length || raw.some((w) => !(w >= 0)) || !(total > 0)) {
    throw new UsageError(`--weights needs ${o._.length} non-negative numbers, not all 0`)
  }
  const shares = raw.map((w) => w / total)
  const folders: Array<Awaited<ReturnType<typeof loadModelFolder>>> = []
  try {
    for (const dir of o._) folders.push(await loadModelFolder(dir, 'a model folder')) // one by one: a failed load leaves the loaded ones to `finally`
    const differs = folders.findIndex((f) => sameUse(f.card) !== sameUse(folders[0].card))
    if (differs > 0) throw new UsageError(`${o._[differs]} differs from ${o._[0]} in architecture, input or normalisation: its weights cannot be averaged with them`)
    const mean = averageWeights(folders.map((f) => f.model), shares)
    folders[0].model.setWeights(mean)
    tf.dispose(mean)
    await saveModelFiles(folders[0].model, o.out)
    const first = folders[0].cardJson
    writeModelCard(o.out, {
      ...first,
      name: o.name ?? first.name,
      training: { ...first.training, averageOf: o._.map((dir, k) => ({ model: dir, share: roundScore(shares[k]), seed: folders[k].cardJson.training.seed })) },
      metrics: { validation: null, test: null },
      createdAt: new Date().toISOString(),
    })
    return join(o.out, 'model.json')
  } finally {
    folders.forEach((f) => f.model.dispose())
  }
}

if (process.argv[1]?.endsWith('averageModels.ts')) {
  runCli(helpText('average-models', 'Averages the weights of models fine-tuned from one checkpoint (a model soup).', OPTIONS, 'MODEL_DIR MODEL_DIR... '), async (argv) => {
    await selectBackend('wasm')
    process.stdout.write(`wrote ${await averageModels(argv)}\n`)
  })
}
