/**
 * The training-time network of Liu et al.: UNet++ with the mask head, plus an auxiliary edge branch
 * (Table 2's rows: 'none', a 'simple' edge head on F_whole, or the 'lffgm' branch with
 * F_edge = F_whole - F_low). Outputs are logits; the losses own the sigmoid.
 */
import * as tf from '@tensorflow/tfjs'
import type { MultiTaskPrediction } from './losses/multiTaskLoss'
import { assertInputSize, validateSpec, type UnetPlusPlusSpec } from './modelSpec'
import { maskHead, trainingConvUnit, unetPlusPlusGraph } from './unetPlusPlus'

type Symbolic = tf.SymbolicTensor

export interface MultiTaskModel {
  readonly spec: UnetPlusPlusSpec
  /**
   * Outputs: [maskLogits [batch, H, W, 1]] for aux 'none', else [maskLogits, edgeLogits] (both [batch, H, W, 1]).
   */
  readonly model: tf.LayersModel
}

/** a - b, elementwise, for two symbolic tensors of one shape (tfjs-layers has no Subtract layer). */
export class Difference extends tf.layers.Layer {
  static readonly className = 'Difference'
  override computeOutputShape(inputShape: tf.Shape[]): tf.Shape {
    return inputShape[0]
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [a, b] = inputs as tf.Tensor[]
    return tf.sub(a, b)
  }
}
tf.serialization.registerClass(Difference)

export function buildMultiTaskModel(spec: Partial<UnetPlusPlusSpec> = {}): MultiTaskModel {
  const full = validateSpec(spec)
  const { input, fWhole, deepest } = unetPlusPlusGraph(full, trainingConvUnit)
  const maskLogits = maskHead(fWhole, 'linear')
  const outputs = [maskLogits]
  if (full.aux === 'simple') outputs.push(edgeHead(fWhole))
  if (full.aux === 'lffgm') {
    const fLow = lowFrequencyFeatures(deepest, full.filters[0], full.lffgmChannels)
    // F_edge = F_whole - F_low  (eq. 1): [batch, H, W, filters[0]]
    const fEdge = new Difference({ name: 'f_edge' }).apply([fWhole, fLow]) as Symbolic
    outputs.push(edgeHead(fEdge))
  }
  return { spec: full, model: tf.model({ inputs: input, outputs, name: `unetpp_${full.aux}` }) }
}

function edgeHead(features: Symbolic): Symbolic {
  return tf.layers.conv2d({ filters: 1, kernelSize: 1, name: 'edge_head' }).apply(features) as Symbolic
}

/**
 * The Low-Frequency Feature Generation Module (section 2.2) on X^{4,0} [batch, H/16, W/16, C4]:
 * two [2x2 max-pool, 3x3 conv, BN, ReLU] down to H/64, two [2x bilinear upsample, 3x3 conv, BN, ReLU]
 * back to H/16, concatenated with the module input, 1x1 conv to F_whole's channels. The paper leaves open
 * how F_low (at H/16) meets F_whole (at H): we upsample it bilinearly by 16.
 */
function lowFrequencyFeatures(deepest: Symbolic, outChannels: number, channels: number): Symbolic {
  let x = deepest
  for (const step of [1, 2]) {
    const pooled = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `lffgm_pool_${step}` }).apply(x) as Symbolic
    x = trainingConvUnit(pooled, channels, `lffgm_down_${step}`) // [batch, H/(16*2^step), W/(16*2^step), channels]
  }
  for (const step of [1, 2]) {
    const up = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: `lffgm_upsample_${step}` }).apply(x) as Symbolic
    x = trainingConvUnit(up, channels, `lffgm_up_${step}`) // back to [batch, H/16, W/16, channels] after step 2
  }
  // input channels: channels + C4
  const merged = tf.layers.concatenate({ axis: -1, name: 'lffgm_cat' }).apply([x, deepest]) as Symbolic
  const fLowCoarse = tf.layers.conv2d({ filters: outChannels, kernelSize: 1, name: 'lffgm_out' }).apply(merged) as Symbolic
  // [batch, H/16, W/16, filters[0]] -> [batch, H, W, filters[0]]
  return tf.layers.upSampling2d({ size: [16, 16], interpolation: 'bilinear', name: 'f_low' }).apply(fLowCoarse) as Symbolic
}

/**
 * One forward pass of the multi-task model, with the input size checked first.
 * slices: [batch, H, W, inputChannels]; `training` selects batch statistics (and updates the running ones).
 */
export function runMultiTask(trained: MultiTaskModel, slices: tf.Tensor4D, training: boolean): MultiTaskPrediction {
  assertInputSize(slices.shape[1], slices.shape[2], trained.spec.aux)
  const outputs = trained.model.apply(slices, { training }) as tf.Tensor4D | tf.Tensor4D[]
  const [maskLogits, edgeLogits] = Array.isArray(outputs) ? outputs : [outputs]
  return { maskLogits, edgeLogits }
}
