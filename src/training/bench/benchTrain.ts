/**
 * npm run bench:train — training speed on the WASM backend (Node), as a markdown table appended to
 * BENCHMARKS.md: forward pass and one full multi-task training step of UNet++ [16, 32, 64, 128, 256]
 * at 128x128, batch 8, with our convolution-gradient kernels and with stock tfjs 4.22 kernels.
 * Medians of several runs after a warm-up; ratios measured in one run (absolute times are noisy here).
 */
import { execFileSync } from 'node:child_process'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { buildMultiTaskModel, runMultiTask } from '../../model/multiTaskModel'
import { registerWasmTrainingKernels } from '../backend/selectBackend'
import { createTrainer } from '../loop/trainStep'
import { appendBenchSection, machineName } from './benchReport'

const FILTERS = [16, 32, 64, 128, 256] as const
const [BATCH, SIZE, RUNS] = [8, 128, Number(process.env.BENCH_RUNS ?? 5)]

/**
 * Median ms of each body after one warm-up each. The bodies take turns run after run, so that both see the
 * same load on this shared machine and their ratio stays meaningful.
 */
async function interleavedMedians(runs: number, bodies: Array<() => Promise<void>>): Promise<number[]> {
  for (const body of bodies) await body() // warm-up
  const times = bodies.map(() => [] as number[])
  for (let i = 0; i < runs; i++) {
    for (const [b, body] of bodies.entries()) {
      const start = performance.now()
      await body()
      times[b].push(performance.now() - start)
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)])
}

/** Median ms of the input gradient of one 3x3 conv ([8, 128, 128, 32] -> 32), for the kernel-level comparison. */
async function convInputGradientMs(): Promise<number> {
  const x = tf.randomNormal([BATCH, SIZE, SIZE, 32]) as tf.Tensor4D
  const w = tf.randomNormal([3, 3, 32, 32]) as tf.Tensor4D
  const dy = tf.randomNormal([BATCH, SIZE, SIZE, 32]) as tf.Tensor4D
  const [ms] = await interleavedMedians(RUNS, [
    async () => {
      const g = tf.conv2dTranspose(dy, w, x.shape, 1, 'same') // = Conv2DBackpropInput
      await g.data()
      g.dispose()
    },
  ])
  tf.dispose([x, w, dy])
  return ms
}

async function measure(label: string): Promise<Record<string, string>> {
  const trained = buildMultiTaskModel({ filters: FILTERS, aux: 'lffgm' })
  const images = tf.randomNormal([BATCH, SIZE, SIZE, 1]) as tf.Tensor4D
  const masks = tf.randomUniform([BATCH, SIZE, SIZE, 1]).greater(0.8).toFloat() as tf.Tensor4D
  const forward = async () => {
    const { maskLogits, edgeLogits } = runMultiTask(trained, images, false)
    await maskLogits.data()
    tf.dispose([maskLogits, edgeLogits!])
  }
  const note = tf.getKernel('Conv2DBackpropFilter', 'wasm') ? '' : 'impossible: no Conv2DBackpropFilter kernel on wasm'
  const trainer = note ? null : createTrainer(trained)
  const [forwardMs, stepMs = NaN] = await interleavedMedians(RUNS, trainer ? [forward, async () => void (await trainer.step(images, masks))] : [forward])
  trainer?.optimizer.dispose()
  tf.dispose([images, masks])
  trained.model.dispose()
  const convInputMs = await convInputGradientMs()
  return {
    kernels: label,
    'forward ms': forwardMs.toFixed(0),
    'train step ms': Number.isNaN(stepMs) ? note : stepMs.toFixed(0),
    'step / forward': Number.isNaN(stepMs) ? '-' : (stepMs / forwardMs).toFixed(2),
    'conv input-grad ms (8x128x128x32, 3x3)': convInputMs.toFixed(0),
  }
}

const ROWS = {
  stock: 'stock tfjs 4.22 wasm',
  ours: 'StrokeSeg kernels (conv gradients, SplitV, Identity, leading-axes Sum/Mean)',
} as const

/** One row, measured in this process: `--row stock|ours` (each row gets a fresh process and WASM heap). */
async function measureRow(row: keyof typeof ROWS): Promise<void> {
  await tf.setBackend('wasm')
  if (row === 'ours') {
    registerWasmTrainingKernels()
  }
  console.log(JSON.stringify(await measure(ROWS[row])))
}

function measureInChild(row: keyof typeof ROWS): Record<string, string> {
  const output = execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--row', row], { encoding: 'utf8' })
  return JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, string>
}

async function main(): Promise<void> {
  const rowArgument = process.argv.indexOf('--row')
  if (rowArgument > 0) return measureRow(process.argv[rowArgument + 1] as keyof typeof ROWS)
  const stock = measureInChild('stock')
  const ours = measureInChild('ours')
  appendBenchSection(
    'bench:train',
    `Machine: ${machineName()}, Node ${process.version}, tfjs ${tf.version.tfjs}, backend wasm (single thread in Node). ` +
      `UNet++ filters [${FILTERS.join(', ')}] + LFFGM, ${SIZE}x${SIZE}, batch ${BATCH}; medians of ${RUNS} runs after a warm-up, ` +
      'forward and step runs taking turns, each row in a fresh process.',
    [stock, ours],
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
