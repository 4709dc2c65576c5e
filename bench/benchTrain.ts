/**
 * npm run bench:train — training speed in Node, as a markdown table appended to BENCHMARKS.md: forward pass
 * and one full multi-task training step of UNet++ + LFFGM, batch 8.
 * Default (WASM): UNet++ [16, 32, 64, 128, 256] at 128x128 with our convolution-gradient kernels, with
 * stock tfjs 4.22 kernels, and with the step run by PyTorch (`train --engine torch`, one thread).
 * `-- --backend webgpu` (WebGPU through Dawn; for a machine with a GPU): that small
 * network and the paper's, [32 .. 512] on ATLAS slices (233x197 padded to 256x256), with slices per second.
 * Medians of several runs after a warm-up; ratios measured in one run (absolute times are noisy here).
 */
import { execFileSync } from 'node:child_process'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { buildMultiTaskModel, runMultiTask } from '../src/model/multiTaskModel'
import { registerWasmTrainingKernels, selectBackend } from '../src/training/backend/selectBackend'
import { createTorchTrainer } from '../src/training/loop/torchTrainer'
import { createTrainer } from '../src/training/loop/trainStep'
import { appendBenchSection, machineName } from './benchReport'

interface BenchNetwork {
  readonly label: string
  readonly filters: readonly [number, number, number, number, number]
  readonly height: number
  readonly width: number
}

const SMALL: BenchNetwork = { label: 'UNet++ [16 .. 256], 128x128', filters: [16, 32, 64, 128, 256], height: 128, width: 128 }
/** The paper's network on its ATLAS slices (233x197, padded to 256x256: training with the LFFGM pools 6 times). */
const PAPER: BenchNetwork = { label: 'UNet++ [32 .. 512], 256x256 (paper)', filters: [32, 64, 128, 256, 512], height: 256, width: 256 }
const [BATCH, RUNS] = [8, Number(process.env.BENCH_RUNS ?? 5)]

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
  const x = tf.randomNormal([BATCH, 128, 128, 32]) as tf.Tensor4D
  const w = tf.randomNormal([3, 3, 32, 32]) as tf.Tensor4D
  const dy = tf.randomNormal([BATCH, 128, 128, 32]) as tf.Tensor4D
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

async function measure(label: string, network: BenchNetwork, engine: 'tfjs' | 'torch' = 'tfjs'): Promise<Record<string, string>> {
  const trained = buildMultiTaskModel({ filters: network.filters, aux: 'lffgm' })
  const images = tf.randomNormal([BATCH, network.height, network.width, 1]) as tf.Tensor4D
  const masks = tf.randomUniform([BATCH, network.height, network.width, 1]).greater(0.8).toFloat() as tf.Tensor4D
  const forward = async () => {
    const { maskLogits, edgeLogits } = runMultiTask(trained, images, false)
    await maskLogits.data()
    tf.dispose([maskLogits, edgeLogits!])
  }
  const backend = tf.getBackend()
  const note = tf.getKernel('Conv2DBackpropFilter', backend) ? '' : `impossible: no Conv2DBackpropFilter kernel on ${backend}`
  const trainer = note ? null : engine === 'torch' ? await createTorchTrainer(trained, {}, { python: PYTHON, threads: 1 }) : createTrainer(trained)
  const [forwardMs, stepMs = NaN] = await interleavedMedians(RUNS, trainer ? [forward, async () => void (await trainer.step(images, masks))] : [forward])
  trainer?.dispose()
  tf.dispose([images, masks])
  trained.model.dispose()
  const convInputMs = await convInputGradientMs()
  return {
    kernels: label,
    network: network.label,
    'forward ms': forwardMs.toFixed(0),
    'train step ms': Number.isNaN(stepMs) ? note : stepMs.toFixed(0),
    'step / forward': Number.isNaN(stepMs) ? '-' : (stepMs / forwardMs).toFixed(2),
    'training slices / s': Number.isNaN(stepMs) ? '-' : ((BATCH * 1000) / stepMs).toFixed(1),
    'conv input-grad ms (8x128x128x32, 3x3)': convInputMs.toFixed(0),
  }
}

const ROWS = {
  stock: 'stock tfjs 4.22 wasm',
  ours: 'StrokeSeg kernels (conv gradients, SplitV, Identity, leading-axes Sum/Mean)',
  torch: 'step in PyTorch (--engine torch, 1 thread); forward: tfjs with our kernels',
} as const
const PYTHON = process.env.STROKESEG_PYTHON ?? '/usr/bin/python3'

/** One row, measured in this process: `--row stock|ours` (each row gets a fresh process and WASM heap). */
async function measureRow(row: keyof typeof ROWS): Promise<void> {
  await tf.setBackend('wasm')
  if (row !== 'stock') registerWasmTrainingKernels()
  console.log(JSON.stringify(await measure(ROWS[row], SMALL, row === 'torch' ? 'torch' : 'tfjs')))
}

function measureInChild(row: keyof typeof ROWS): Record<string, string> {
  const output = execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--row', row], { encoding: 'utf8' })
  return JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, string>
}

/** Both networks on WebGPU through Dawn, in this process. */
async function measureWebGpu(): Promise<void> {
  const backend = await selectBackend('webgpu')
  const rows = [await measure(backend.description, SMALL), await measure(backend.description, PAPER)]
  backend.assertHealthy()
  appendBenchSection(
    'bench:train (WebGPU through Dawn)',
    `Machine: ${machineName()}, GPU adapter: ${backend.description}, Node ${process.version}, tfjs ${tf.version.tfjs}. ` +
      `LFFGM training model, batch ${BATCH}; medians of ${RUNS} runs after a warm-up, forward and step runs taking turns.`,
    rows,
  )
}

async function main(): Promise<void> {
  const rowArgument = process.argv.indexOf('--row')
  if (rowArgument > 0) return measureRow(process.argv[rowArgument + 1] as keyof typeof ROWS)
  const backendArgument = process.argv.indexOf('--backend')
  if (backendArgument > 0) {
    if (process.argv[backendArgument + 1] !== 'webgpu') throw new Error('bench:train: --backend takes webgpu (wasm is the default)')
    return measureWebGpu()
  }
  const stock = measureInChild('stock')
  const ours = measureInChild('ours')
  const torch = measureInChild('torch')
  appendBenchSection(
    'bench:train',
    `Machine: ${machineName()}, Node ${process.version}, tfjs ${tf.version.tfjs}, backend wasm (single thread in Node). ` +
      `${SMALL.label} + LFFGM, batch ${BATCH}; medians of ${RUNS} runs after a warm-up, ` +
      'forward and step runs taking turns, each row in a fresh process.',
    [stock, ours, torch],
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
