/**
 * Small models and scans for the pipeline's tests: a model whose output is a fixed function of its input, and
 * scans whose axes are stored in awkward orders.
 */
import * as tf from '@tensorflow/tfjs'
import type { Affine } from '../src/volume/affine'
import type { Volume } from '../src/volume/volume'

/** A model whose output is a fixed function of the input: sigmoid(4 x - 2) at each pixel (lesion where x >= 0.5). */
export function thresholdModel(): tf.LayersModel {
  const input = tf.input({ shape: [null, null, 1] })
  const weights = [tf.tensor4d([4], [1, 1, 1, 1]), tf.tensor1d([-2])]
  const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', weights })
  const model = tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor })
  tf.dispose(weights) // copied into the layer's variables
  return model
}

/** Test intensities: air in the first source columns, a pattern elsewhere, brighter in part of the scan. */
export function scanOf(name: string, dims: [number, number, number], spacing: [number, number, number], affine: Affine): Volume {
  const data = new Float32Array(dims[0] * dims[1] * dims[2])
  for (let z = 0, i = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++, i++) data[i] = x < 3 ? 0 : 100 + ((x * 7 + y * 13 + z * 29) % 41) * (y > 9 ? 3 : 1)
    }
  }
  return { name, dims, spacing, affine, data, datatype: 'float32', scaling: null, modality: 'MR' }
}

/** Stored with axes permuted and flipped (x runs towards I, z towards P): 20 x 18 x 14, RAS z is source x. */
export const obliqueScan = () => scanOf('oblique.nii.gz', [20, 18, 14], [1, 1.2, 1], [[0, -1, 0, 40], [0, 0, -1.2, 30], [-1, 0, 0, 20], [0, 0, 0, 1]])

