import { existsSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../training/backend/selectBackend'
import { widenOnWebGpu } from './webgpuVoxelUpload'

process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json'
const vulkanDriver = existsSync(process.env.VK_ICD_FILENAMES)

/** Every value of each type, in views that start off a 4-byte boundary and end off one too. */
function voxelCases(): Array<Uint8Array | Int8Array | Uint16Array | Int16Array> {
  const wrapped = (n: number, step: number, range: number, from: number) => Array.from({ length: n }, (_, i) => ((i * step) % range) + from)
  return [
    Uint8Array.from(wrapped(1001, 7, 256, 0)),
    new Uint8Array(Uint8Array.from(wrapped(1003, 1, 256, 0)).buffer, 3, 998),
    Int8Array.from(wrapped(999, 5, 256, -128)),
    Int16Array.from(wrapped(70001, 1, 65536, -32768)),
    new Int16Array(Int16Array.from([-1, -32768, 32767, 0, 1, -2, 5]).buffer, 2, 5),
    Uint16Array.from(wrapped(70002, 1, 65536, 0)),
  ]
}

describe('integer voxels widened on WebGPU', () => {
  it.skipIf(!vulkanDriver)('gives exactly the float32 values of 1- and 2-byte voxels, signed or not, at any offset and length', async () => {
    await selectBackend('webgpu')
    const tensorsBefore = tf.memory().numTensors
    for (const data of voxelCases()) {
      const widened = widenOnWebGpu(data)
      expect(widened.shape).toEqual([data.length])
      expect(Array.from((await widened.data()) as Float32Array)).toEqual(Array.from(data))
      widened.dispose()
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore)
  }, 60_000)
})
