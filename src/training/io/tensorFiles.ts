/** Named float32 tensors in one binary file plus a JSON manifest: checkpoints of weights and optimizer state. */
import { readFileSync, writeFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'

/** A tensor with its name, as optimizers and checkpoints list them. */
export interface NamedTensor {
  readonly name: string
  readonly tensor: tf.Tensor
}

interface Manifest {
  readonly tensors: Array<{ name: string; shape: number[] }>
}

export async function saveTensors(path: string, named: readonly NamedTensor[]): Promise<void> {
  const arrays = await Promise.all(named.map(async ({ tensor }) => (await tensor.data()) as Float32Array))
  writeFileSync(`${path}.bin`, new Uint8Array(concatenate(arrays).buffer))
  const manifest: Manifest = { tensors: named.map(({ name, tensor }) => ({ name, shape: tensor.shape })) }
  writeFileSync(`${path}.json`, JSON.stringify(manifest))
}

export function loadTensors(path: string): NamedTensor[] {
  const manifest = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as Manifest
  const bytes = readFileSync(`${path}.bin`)
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
  let offset = 0
  return manifest.tensors.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1)
    const tensor = tf.tensor(data.subarray(offset, offset + size), shape)
    offset += size
    return { name, tensor }
  })
}

/** The arrays one after another, in one new array. */
export function concatenate(arrays: readonly Float32Array[]): Float32Array {
  const all = new Float32Array(arrays.reduce((n, a) => n + a.length, 0))
  let offset = 0
  for (const a of arrays) {
    all.set(a, offset)
    offset += a.length
  }
  return all
}
