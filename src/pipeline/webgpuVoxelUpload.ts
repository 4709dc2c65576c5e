/**
 * Integer voxels onto a WebGPU device at their own size: the bytes go up as they are (a 1-byte scan is a
 * quarter of its float32 copy, and JavaScript makes no converted copy first) and a small shader widens them
 * to float32 there. On a fast GPU the conversion and upload of a float32 copy cost as much as running the
 * bundled model over half the scan.
 */
import * as tf from '@tensorflow/tfjs'
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu'
import { lowestValueOf, type NarrowIntegerArray } from '../volume/volume'

const WORKGROUP_SIZE = 128

/** result[i] = voxel i of the packed words in A (little-endian, `bytes` per voxel), sign-extended if `signed`. */
class WidenVoxelsProgram implements WebGPUProgram {
  readonly variableNames = ['A']
  readonly outputShape: number[]
  readonly shaderKey: string
  readonly dispatchLayout = { x: [0] }
  readonly dispatch: [number, number, number]
  readonly workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1]
  readonly size = true

  constructor(
    count: number,
    private readonly bytes: 1 | 2,
    private readonly signed: boolean,
  ) {
    this.outputShape = [count]
    this.dispatch = [Math.ceil(count / WORKGROUP_SIZE), 1, 1]
    this.shaderKey = `strokeseg_widen_${bytes}_${signed}`
  }

  getUserCode(): string {
    const [perWord, bits] = [4 / this.bytes, 8 * this.bytes]
    const value = this.signed ? `f32(bitcast<i32>(field << ${32 - bits}u) >> ${32 - bits}u)` : 'f32(field)'
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let word = bitcast<u32>(A[index / ${perWord}]);
          let field = (word >> (u32(index % ${perWord}) * ${bits}u)) & ${2 ** bits - 1}u;
          setOutputAtIndex(index, ${value});
        }
      }`
  }
}

/** The voxels as float32 on the current WebGPU backend: [count]. */
export function widenOnWebGpu(data: NarrowIntegerArray): tf.Tensor1D {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const aligned = data.byteOffset % 4 === 0 && data.byteLength % 4 === 0
  const padded = aligned ? bytes : new Uint8Array(Math.ceil(data.byteLength / 4) * 4)
  if (!aligned) padded.set(bytes)
  const words = tf.tensor1d(new Int32Array(padded.buffer, padded.byteOffset, padded.byteLength / 4), 'int32')
  try {
    const program = new WidenVoxelsProgram(data.length, data.BYTES_PER_ELEMENT as 1 | 2, lowestValueOf(data) < 0)
    const widened = (tf.backend() as WebGPUBackend).runWebGPUProgram(program, [words], 'float32')
    return tf.engine().makeTensorFromTensorInfo(widened) as tf.Tensor1D
  } finally {
    words.dispose()
  }
}
