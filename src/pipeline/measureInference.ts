/**
 * How fast a model segments a scan on the current tfjs backend, for the benchmarks (Node and browser share
 * it): the whole pipeline (`segmentVolume`), and the model alone (predictSlices) on the same prepared slices, batched the
 * same way, with inputs made beforehand. Medians of `runs` runs of each, alternated, after one warm-up of the
 * pipeline (shader compilation, weight upload; predict alone then runs warm), and the peak tensor count during
 * that warm-up run (before the inputs of predict alone exist).
 */
import * as tf from '@tensorflow/tfjs'
import type { ModelCard } from './modelCard'
import { predictSlices } from './predictSlices'
import { runSlices, type RunPlan } from './runPlan'
import { batchesOf, modelInput, prepareScan } from './scanSlices'
import { segmentVolume } from './segmentVolume'
import type { Volume } from '../volume/volume'

export interface InferenceTiming {
  /** Slices the pipeline ran through the model (slices outside the head are skipped). */
  readonly slices: number
  readonly pipelineMs: number
  readonly predictMs: number
  readonly peakTensors: number
}

/** Times `plan` (runPlan.ts) on `scan`: the pipeline, and predict alone on the plan's batches. */
export async function measureInference(scan: Volume, model: tf.LayersModel, card: ModelCard, plan: RunPlan, runs: number): Promise<InferenceTiming> {
  let peakTensors = 0
  const onProgress = () => (peakTensors = Math.max(peakTensors, tf.memory().numTensors))
  const { slicesRun: slices } = await segmentVolume(scan, model, card, plan, { onProgress }) // warm-up: shaders, weights
  const pipeline = async () => void (await segmentVolume(scan, model, card, plan))
  const prepared = prepareScan(scan, card)
  const batches = batchesOf(runSlices(plan, prepared.slices), plan.batch).map((ks) => modelInput(prepared, ks)) // each [batch, H, W, 1]
  const predict = async () => {
    for (const input of batches) {
      const output = predictSlices(model, card, input, null)
      await output.data()
      output.dispose()
    }
  }
  try {
    // Alternated, so that both see the same machine: shared machines drift between one minute and the next.
    const [pipelineTimes, predictTimes]: number[][] = [[], []]
    for (let i = 0; i < runs; i++) {
      pipelineTimes.push(await elapsedMs(pipeline))
      predictTimes.push(await elapsedMs(predict))
    }
    return { slices, pipelineMs: median(pipelineTimes), predictMs: median(predictTimes), peakTensors }
  } finally {
    tf.dispose(batches)
  }
}

async function elapsedMs(body: () => Promise<void>): Promise<number> {
  const start = performance.now()
  await body()
  return performance.now() - start
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
