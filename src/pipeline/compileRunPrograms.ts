/**
 * Compiles the GPU programs that a segmentVolume run on a scan will use, before the run and without running
 * anything: the run's backend steps on this scan's shapes, dispatched in tfjs's compile-only mode
 * (ENGINE_COMPILE_ONLY on WebGL, WEBGPU_ENGINE_COMPILE_ONLY on WebGPU: each program is compiled, in parallel
 * where the driver can, and nothing is drawn or dispatched), then waited for. The segmentation worker calls it
 * when a scan opens, while the user looks at it. It matters most on WebGL, whose programs are keyed by exact
 * shapes: the model's warm-up at its training size leaves about half of a run's programs to its first run
 * (BENCHMARKS.md, "The first run after the warm-up"). Left to the run on WebGL: the read-backs (a decoding
 * program per shape read) and the gathering of the rows with lesion, whose shapes depend on what the model finds.
 */
import * as tf from '@tensorflow/tfjs'
import type { Volume } from '../volume/volume'
import type { ModelCard } from './modelCard'
import { predictSlices } from './predictSlices'
import { runSlices, type RunPlan } from './runPlan'
import { unanalysedSlicerOnBackend } from './scanOnBackend'
import { slicesInMemory, unanalysedScan } from './scanSlices'

const COMPILE_ONLY_FLAG: Readonly<Record<string, string>> = { webgl: 'ENGINE_COMPILE_ONLY', webgpu: 'WEBGPU_ENGINE_COMPILE_ONLY' }

/** What tfjs 4.22's WebGL and WebGPU backends offer for compiling ahead; tfjs-webgl looks up uniforms afterwards. */
interface CompilingBackend {
  checkCompileCompletionAsync(): Promise<unknown>
  getUniformLocations?(): void
}

/** Nothing to do on WASM, which compiles no programs. */
export async function compileRunPrograms(volume: Volume, model: tf.LayersModel, card: ModelCard, plan: RunPlan): Promise<void> {
  const flag = COMPILE_ONLY_FLAG[plan.backend]
  if (!flag) return
  const backend = tf.backend() as unknown as CompilingBackend
  const { batch, maxBatchesPerChunk, scanOnBackend } = plan
  const predict = (input: tf.Tensor4D) => predictSlices(model, card, input, null) // [b, H, W, 1]; the contrast changes values, not programs
  tf.env().set(flag, true)
  try {
    tf.tidy(() => {
      // The run's own slicer over a stand-in for the scan: the same steps, nothing read back.
      const slicer = scanOnBackend ? unanalysedSlicerOnBackend(volume, card) : slicesInMemory(unanalysedScan(volume, card), card, new Uint8Array(0))
      // The first chunk and the largest: on WebGL one and the same; on WebGPU they reach its size classes. In main
      // memory the slices go batch by batch: the first is enough.
      const chunkOf = (batches: number) => runSlices(plan, slicer.scan.slices.slice(0, batches * batch))
      const chunks = maxBatchesPerChunk === 1 || !scanOnBackend ? [chunkOf(1)] : [chunkOf(1), chunkOf(maxBatchesPerChunk)]
      for (const chunk of chunks) slicer.stepsOf(chunk, batch, predict)
    })
  } finally {
    tf.env().set(flag, false)
    try {
      await backend.checkCompileCompletionAsync()
    } finally {
      backend.getUniformLocations?.() // programs compiled this way have none until now, also after a failure: a run would draw with none
    }
  }
}
