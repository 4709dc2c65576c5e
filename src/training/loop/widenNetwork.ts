/**
 * Grows a trained network to more filters per level without changing what it computes: Net2Net's "wider"
 * operation (Chen et al. 2016) in its zero-outgoing form. Every old channel keeps its weights; every new
 * channel gets the wide network's fresh initial weights from all its inputs, and zero weights into the old
 * channels, so the old channels (and therefore the outputs) are exactly the narrow network's, in training and
 * in inference mode. Training then moves the zeros: the gradient on a weight from a new channel into an old
 * one is that channel's (nonzero) activation times the old channel's gradient.
 *
 * Channel layouts follow the graph: a convolution's output is [old channels, new channels]; a concatenation
 * lays its inputs' layouts one after another; pooling, upsampling, batch norm and the F_whole - F_low
 * difference keep their input's layout. New input channels (a model told the scan's contrast) are new channels of
 * the input: the network's answer stays the narrow one's until training moves their zero weights.
 */
import * as tf from '@tensorflow/tfjs'
import type { NamedTensor } from '../io/tensorFiles'

/** A run of channels from one source: its first `old` channels are the narrow network's, the rest are new. */
interface Segment {
  readonly old: number
  readonly wide: number
}

/**
 * Values for every weight of `wide` (in `wide.weights` order): the narrow network's where they exist, fresh
 * ones elsewhere, arranged so that `wide` computes what `narrow` does. The caller disposes the tensors.
 * narrowWeights: named as `narrow.weights`' originalName (a checkpoint's weights).
 */
export function widenWeights(narrow: tf.LayersModel, narrowWeights: readonly NamedTensor[], wide: tf.LayersModel): tf.Tensor[] {
  const byName = new Map(narrowWeights.map((w) => [w.name, w.tensor]))
  const layouts = new Map<string, Segment[]>()
  const layoutOf = (layer: tf.layers.Layer): Segment[] => {
    let layout = layouts.get(layer.name)
    if (!layout) {
      layout = outputLayout(layer, narrow.getLayer(layer.name), layoutOf)
      layouts.set(layer.name, layout)
    }
    return layout
  }
  return wide.weights.map((weight) => {
    const [layerName, kind] = splitName(weight.originalName)
    const old = byName.get(weight.originalName)
    if (!old) throw new Error(`the narrow network has no weight ${weight.originalName}`)
    const { shape } = weight.read()
    const fresh = weight.read().dataSync() as Float32Array
    if (kind !== 'kernel') return tf.tensor(copyChannels(old.dataSync() as Float32Array, fresh), shape)
    const inputs = layoutOf(inboundLayers(wide.getLayer(layerName))[0])
    return tf.tensor(widenKernel(old.dataSync() as Float32Array, old.shape, fresh, shape, inputs), shape)
  })
}

function splitName(name: string): [string, string] {
  const slash = name.lastIndexOf('/')
  return [name.slice(0, slash), name.slice(slash + 1)]
}

function inboundLayers(layer: tf.layers.Layer): tf.layers.Layer[] {
  return layer.inboundNodes[0].inboundLayers
}

function outputLayout(wideLayer: tf.layers.Layer, narrowLayer: tf.layers.Layer, layoutOf: (l: tf.layers.Layer) => Segment[]): Segment[] {
  const className = wideLayer.getClassName()
  if (className === 'InputLayer') {
    const channels = (layer: tf.layers.Layer) => (layer as unknown as { batchInputShape: number[] }).batchInputShape.at(-1)!
    return [{ old: channels(narrowLayer), wide: channels(wideLayer) }] // more input channels: the contrast channels
  }
  if (className === 'Concatenate') return inboundLayers(wideLayer).flatMap(layoutOf)
  const kernel = (l: tf.layers.Layer) => l.weights.find((w) => w.originalName.endsWith('/kernel'))
  const wideKernel = kernel(wideLayer)
  if (wideKernel) return [{ old: kernel(narrowLayer)!.shape.at(-1)!, wide: wideKernel.shape.at(-1)! }]
  return layoutOf(inboundLayers(wideLayer)[0])
}

/** Per-channel weights [C_old] into [C_wide]: the old values first, the fresh ones (gamma 1, beta 0, ...) after. */
function copyChannels(old: Float32Array, fresh: Float32Array): Float32Array {
  const out = fresh.slice()
  out.set(old)
  return out
}

/**
 * A kernel [kh, kw, inOld, outOld] into [kh, kw, inWide, outWide]: old outputs get the old weights from their
 * old inputs (mapped through the input layout) and zero from the new inputs; new outputs keep fresh weights.
 */
function widenKernel(old: Float32Array, oldShape: number[], fresh: Float32Array, wideShape: number[], inputs: readonly Segment[]): Float32Array {
  const [kh, kw, inOld, outOld] = oldShape
  const [, , inWide, outWide] = wideShape
  if (inputs.reduce((n, s) => n + s.old, 0) !== inOld || inputs.reduce((n, s) => n + s.wide, 0) !== inWide) {
    throw new Error(`kernel [${oldShape}] -> [${wideShape}]: the input layout does not match`)
  }
  const wideIndexOfOldInput: number[] = []
  let offset = 0
  for (const segment of inputs) {
    for (let c = 0; c < segment.old; c++) wideIndexOfOldInput.push(offset + c)
    offset += segment.wide
  }
  const out = fresh.slice()
  for (let position = 0; position < kh * kw; position++) {
    for (let i = 0; i < inWide; i++) out.fill(0, (position * inWide + i) * outWide, (position * inWide + i) * outWide + outOld)
    for (let i = 0; i < inOld; i++) {
      const from = (position * inOld + i) * outOld
      out.set(old.subarray(from, from + outOld), (position * inWide + wideIndexOfOldInput[i]) * outWide)
    }
  }
  return out
}
