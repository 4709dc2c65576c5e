import { existsSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it, vi } from 'vitest'
import { buildMultiTaskModel } from '../../model/multiTaskModel'
import { createTrainer } from '../loop/trainStep'
import { selectBackend } from './selectBackend'

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json'
process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD
const vulkanDriver = existsSync(process.env.VK_ICD_FILENAMES)

/** Two training steps of a tiny multi-task model from fixed weights and data: the losses of both steps. */
async function twoStepLosses(weights: Float32Array[], seed: number): Promise<number[]> {
  const trained = buildMultiTaskModel({ filters: [4, 8, 8, 8, 8], aux: 'lffgm' })
  trained.model.setWeights(weights.map((w, i) => tf.tensor(w, trained.model.getWeights()[i].shape)))
  const images = tf.randomNormal([2, 64, 64, 1], 0, 1, 'float32', seed) as tf.Tensor4D
  const masks = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', seed + 1).greater(0.7).toFloat() as tf.Tensor4D
  const trainer = createTrainer(trained)
  const losses = [(await trainer.step(images, masks)).total, (await trainer.step(images, masks)).total]
  tf.dispose([images, masks])
  trainer.dispose()
  trained.model.dispose()
  return losses
}

describe('selectBackend', () => {
  it("'wasm' gives the WASM backend with StrokeSeg's gradient kernels", async () => {
    const selected = await selectBackend('wasm')
    expect(selected.name).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
  })

  it.skipIf(!vulkanDriver)(
    'WebGPU through Dawn (SwiftShader here) trains like WASM: same losses within 1e-3 relative',
    async () => {
      await selectBackend('wasm')
      const initial = buildMultiTaskModel({ filters: [4, 8, 8, 8, 8], aux: 'lffgm' })
      const weights = initial.model.getWeights().map((w) => w.dataSync() as Float32Array)
      initial.model.dispose()
      const onWasm = await twoStepLosses(weights, 11)

      const selected = await selectBackend('webgpu')
      expect(selected.name).toBe('webgpu')
      console.log(`WebGPU adapter: ${selected.description}`)
      const onWebgpu = await twoStepLosses(weights, 11)
      onWasm.forEach((loss, i) => expect(Math.abs(onWebgpu[i] - loss) / loss, `step ${i + 1}: ${onWebgpu[i]} vs ${loss}`).toBeLessThan(1e-3))
      // 'auto' refuses a fallback (software) adapter and takes WASM.
      expect((await selectBackend('auto')).name).toBe('wasm')
    },
    300_000,
  )

  it.skipIf(!vulkanDriver)('a WebGPU error (a command Dawn rejects) makes assertHealthy throw: results since then are not kept', async () => {
    const selected = await selectBackend('webgpu')
    expect(() => selected.assertHealthy()).not.toThrow()
    const device = (tf.backend() as unknown as { device: GPUDevice }).device
    device.createBuffer({ size: 4, usage: 0 }) // invalid: no usage
    await vi.waitFor(() => expect(() => selected.assertHealthy()).toThrow(/WebGPU reported trouble.*the GPU rejected a command.*usage/i))
  }, 60_000)
})
