/**
 * UNet++ (Zhou et al. 2018), depth 4, as the backbone of the multi-task method of Liu et al.:
 * nodes X^{i,j} (level i, j-th node on that level) named `x_i_j`, each = 2 x (3x3 conv, batch norm, ReLU),
 * 2x bilinear upsampling into every nested node, no deep supervision. Channels last: [batch, H, W, C].
 * tfjs only: no DOM, no file system, no backend choice.
 */
import * as tf from '@tensorflow/tfjs'
import { BatchNormRelu } from './batchNormRelu'
import { validateSpec, type UnetPlusPlusSpec } from './modelSpec'

type Symbolic = tf.SymbolicTensor

/** Builds one 3x3 conv unit of a node; `name` is e.g. `x_1_2_1` (node x_1_2, first conv). */
export type ConvUnit = (x: Symbolic, filters: number, name: string) => Symbolic

/** Batch-norm momentum: 0.9 lets the running statistics follow the short trainings this tool does. */
export const BATCH_NORM_MOMENTUM = 0.9
export const BATCH_NORM_EPSILON = 1e-3

/** As trained: conv without bias (the batch norm has the offset), then batch norm and ReLU (one layer, `_bn`). */
export const trainingConvUnit: ConvUnit = (x, filters, name) => {
  const conv = conv3x3(filters, `${name}_conv`, false).apply(x) as Symbolic
  return new BatchNormRelu({ name: `${name}_bn`, momentum: BATCH_NORM_MOMENTUM, epsilon: BATCH_NORM_EPSILON }).apply(conv) as Symbolic
}

/** For inference: the batch norm folded into the conv, which carries a bias and a fused ReLU. */
export const inferenceConvUnit: ConvUnit = (x, filters, name) =>
  tf.layers
    .conv2d({ filters, kernelSize: 3, padding: 'same', useBias: true, activation: 'relu', name: `${name}_conv` })
    .apply(x) as Symbolic

function conv3x3(filters: number, name: string, useBias: boolean) {
  return tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias, kernelInitializer: 'heNormal', name })
}

export interface UnetPlusPlusGraph {
  readonly input: Symbolic
  /** F_whole = X^{0,4}: [batch, H, W, filters[0]] */
  readonly fWhole: Symbolic
  /** X^{4,0}, the deepest map: [batch, H/16, W/16, filters[4]] */
  readonly deepest: Symbolic
}

/**
 * The nested UNet++ graph on a new input [batch, H, W, inputChannels] (H and W free; see assertInputSize).
 */
export function unetPlusPlusGraph(spec: UnetPlusPlusSpec, convUnit: ConvUnit): UnetPlusPlusGraph {
  const { filters } = spec
  const input = tf.input({ shape: [null, null, spec.inputChannels], name: 'slice' }) as Symbolic
  const node = (x: Symbolic, i: number, j: number) =>
    convUnit(convUnit(x, filters[i], `x_${i}_${j}_1`), filters[i], `x_${i}_${j}_2`)
  // x[i][j] = X^{i,j}
  const x: Symbolic[][] = [[], [], [], [], []]
  x[0][0] = node(input, 0, 0)
  for (let i = 1; i <= 4; i++) {
    const pooled = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool_${i - 1}` }).apply(x[i - 1][0]) as Symbolic
    x[i][0] = node(pooled, i, 0) // [batch, H/2^i, W/2^i, filters[i]]
  }
  for (let j = 1; j <= 4; j++) {
    for (let i = 0; i <= 4 - j; i++) {
      const up = tf.layers
        .upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: `up_${i + 1}_${j - 1}` })
        .apply(x[i + 1][j - 1]) as Symbolic
      // input channels: j * filters[i] (X^{i,0..j-1}) + filters[i+1] (upsampled X^{i+1,j-1})
      const merged = tf.layers.concatenate({ axis: -1, name: `cat_${i}_${j}` }).apply([...x[i].slice(0, j), up]) as Symbolic
      x[i][j] = node(merged, i, j)
    }
  }
  return { input, fWhole: x[0][4], deepest: x[4][0] }
}

/**
 * Plain UNet++ exposing F_whole and the deepest map: outputs [F_whole [batch, H, W, filters[0]],
 * X^{4,0} [batch, H/16, W/16, filters[4]]].
 */
export function buildUnetPlusPlus(spec: Partial<UnetPlusPlusSpec> = {}): tf.LayersModel {
  const graph = unetPlusPlusGraph(validateSpec(spec), trainingConvUnit)
  return tf.model({ inputs: graph.input, outputs: [graph.fWhole, graph.deepest], name: 'unet_plus_plus' })
}

/** The mask head: 1x1 conv to one channel. Logits in training; sigmoid in the exported model. */
export function maskHead(fWhole: Symbolic, activation: 'linear' | 'sigmoid'): Symbolic {
  return tf.layers.conv2d({ filters: 1, kernelSize: 1, activation, name: 'mask_head' }).apply(fWhole) as Symbolic
}
