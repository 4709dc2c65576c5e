/**
 * From the multi-task training model to the model the browser runs: the main branch only, every batch
 * norm folded into its convolution (conv + bias + fused ReLU), a sigmoid at the end. Exactly the
 * parameters and speed of a plain UNet++.
 */
import * as tf from '@tensorflow/tfjs'
import type { MultiTaskModel } from './multiTaskModel'
import { inferenceConvUnit, maskHead, unetPlusPlusGraph } from './unetPlusPlus'

/** Output: lesion probability [batch, H, W, 1]. */
export function toInferenceModel(trained: MultiTaskModel): tf.LayersModel {
  const { input, fWhole } = unetPlusPlusGraph(trained.spec, inferenceConvUnit)
  const model = tf.model({ inputs: input, outputs: maskHead(fWhole, 'sigmoid'), name: 'unetpp_inference' })
  for (const layer of model.layers) {
    if (layer.name === 'mask_head') layer.setWeights(trained.model.getLayer('mask_head').getWeights())
    else if (layer.name.endsWith('_conv')) {
      const folded = foldBatchNorm(trained.model, layer.name.slice(0, -'_conv'.length))
      layer.setWeights(folded) // copies them
      tf.dispose(folded)
    }
  }
  return model
}

/**
 * conv (no bias) then BN: y = gamma * (W*x - mean) / sqrt(var + eps) + beta
 *   = (W * s) * x + (beta - mean * s),  s = gamma / sqrt(var + eps), per output channel.
 */
function foldBatchNorm(trained: tf.LayersModel, unit: string): tf.Tensor[] {
  const [kernel] = trained.getLayer(`${unit}_conv`).getWeights() // [3, 3, Cin, Cout]
  const norm = trained.getLayer(`${unit}_bn`) as unknown as { epsilon: number; getWeights(): tf.Tensor[] }
  const [gamma, beta, movingMean, movingVariance] = norm.getWeights() // each [Cout]
  return tf.tidy(() => {
    const scale = gamma.div(movingVariance.add(norm.epsilon).sqrt())
    return [kernel.mul(scale), beta.sub(movingMean.mul(scale))]
  })
}

export function countParameters(model: tf.LayersModel): { trainable: number; total: number } {
  const count = (weights: tf.LayerVariable[]) => weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0)
  return { trainable: count(model.trainableWeights), total: count(model.weights) }
}
