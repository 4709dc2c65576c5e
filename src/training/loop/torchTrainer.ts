/**
 * The Trainer of `trainStep.ts`, with the step run by PyTorch (`torch_step_server.py`) in a child process:
 * `npm run train -- --engine torch`. Node keeps the tfjs model as the one copy of the weights that everything
 * else reads (the weight average, validation, checkpoints, export): after each step PyTorch's weights are
 * written into it. Only Adam's state lives in PyTorch (saved as `optimizer.pt` in a checkpoint).
 * Needs PyTorch for Python 3 (Debian: `apt-get install python3-torch`).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { resolveLossWeights } from '../../model/losses/multiTaskLoss'
import type { MultiTaskModel } from '../../model/multiTaskModel'
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from '../../model/unetPlusPlus'
import { UsageError } from '../cli/args'
import { concatenate } from '../io/tensorFiles'
import { DEFAULT_TRAIN_STEP_OPTIONS, learningRateAt, type StepLosses, type Trainer, type TrainStepOptions } from './trainStep'

export interface TorchEngineOptions {
  /** A Python 3 that can `import torch` (Debian's python3-torch: /usr/bin/python3). */
  readonly python: string
  /** PyTorch's intra-op threads. */
  readonly threads: number
}

const SERVER = fileURLToPath(new URL('./torch_step_server.py', import.meta.url))
const OPTIMIZER_FILE = 'optimizer.pt'

interface Reply {
  readonly kind: string
  readonly losses?: StepLosses
  readonly torch?: string
}

export async function createTorchTrainer(trained: MultiTaskModel, options: Partial<TrainStepOptions>, engine: TorchEngineOptions): Promise<Trainer> {
  const { learningRate, weights, edgeWidthPx, laplacianWarmupSteps, learningRateDecaySteps } = { ...DEFAULT_TRAIN_STEP_OPTIONS, ...options }
  // Tensors travel as files, in memory where the system has /dev/shm.
  const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'strokeseg-torch-'))
  const [weightsPath, batchPath] = [join(scratch, 'weights.f32'), join(scratch, 'batch.f32')]
  const child = spawn(engine.python, [SERVER], { stdio: ['pipe', 'pipe', 'inherit'] })
  const waiting: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }> = []
  let failure: Error | null = null
  const fail = (error: Error) => {
    failure ??= error
    for (const w of waiting.splice(0)) w.reject(failure)
  }
  child.on('error', (error) => fail(new UsageError(`--engine torch: cannot start ${engine.python} (${error.message})`)))
  let started = false
  child.on('exit', (code) =>
    fail(new Error(started
      ? `--engine torch: the PyTorch step server stopped (exit code ${code}; its error is above)`
      : `--engine torch: the PyTorch step server did not start (exit code ${code}); does \`${engine.python} -c "import torch"\` work? (Debian: apt-get install python3-torch)`)))
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(JSON.parse(line) as Reply))
  const request = (message: object): Promise<Reply> => {
    if (failure) return Promise.reject(failure)
    return new Promise((resolve, reject) => {
      waiting.push({ resolve, reject })
      child.stdin.write(JSON.stringify(message) + '\n')
    })
  }

  const variables = trained.model.weights
  const values = await Promise.all(variables.map(async (w) => (await w.read().data()) as Float32Array))
  writeFileSync(weightsPath, concatenate(values))
  const ready = await request({
    kind: 'init',
    weightsPath,
    tensors: variables.map((w) => ({ name: w.originalName, shape: w.shape })),
    spec: trained.spec,
    momentum: BATCH_NORM_MOMENTUM,
    epsilon: BATCH_NORM_EPSILON,
    learningRate,
    lossWeights: resolveLossWeights(weights),
    edgeWidthPx,
    laplacianWarmupSteps,
    threads: engine.threads,
  })
  started = true

  return {
    description: `PyTorch ${ready.torch} (${engine.threads} thread${engine.threads === 1 ? '' : 's'})`,
    async step(images, masks, step = Number.POSITIVE_INFINITY) {
      const [n, h, w, c] = images.shape
      // images [N, H, W, C], masks [N, H, W, 1]. Sent before this returns (dataSync), so that the caller can
      // synthesise the next batch while PyTorch computes.
      writeFileSync(batchPath, concatenate([images.dataSync() as Float32Array, masks.dataSync() as Float32Array]))
      const reply = await request({
        kind: 'step',
        batchPath,
        weightsPath,
        shape: [n, h, w, c],
        step: Number.isFinite(step) ? step : 2 ** 31,
        learningRate: learningRateAt(learningRate, learningRateDecaySteps, step),
      })
      const updated = new Float32Array(readFileSync(weightsPath).buffer.slice(0))
      let offset = 0
      for (const variable of variables) {
        const size = variable.shape.reduce((n: number, d) => n * d!, 1)
        const value = tf.tensor(updated.subarray(offset, offset + size), variable.shape as number[])
        variable.write(value)
        value.dispose()
        offset += size
      }
      return reply.losses!
    },
    async saveOptimizer(dir) {
      await request({ kind: 'save-optimizer', path: join(dir, OPTIMIZER_FILE) })
    },
    async restoreOptimizer(dir) {
      if (!existsSync(join(dir, OPTIMIZER_FILE))) throw new UsageError(`${dir} holds no PyTorch optimizer state (a checkpoint of --engine tfjs?)`)
      await request({ kind: 'load-optimizer', path: join(dir, OPTIMIZER_FILE) })
    },
    dispose() {
      child.removeAllListeners('exit')
      child.stdin.end()
      rmSync(scratch, { recursive: true, force: true })
    },
  }
}
