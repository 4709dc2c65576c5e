/**
 * npm run loss-gradients -- [--synth mr|ct] [--init-from CHECKPOINT]: what each term of the multi-task loss
 * asks of the network, measured on synthetic training batches: the norm of each weighted term's gradient
 * over all weights, its cosine with the mask term's gradient, and its mean gradient on the mask logits of
 * lesion and of background pixels (negative: pushes the lesion up). At initialisation (default) or from a
 * training checkpoint. LOSS.md reads the numbers.
 */
import * as tf from '@tensorflow/tfjs'
import { MR_NORMALIZATION, CT_NORMALIZATION } from '../../pipeline/intensityNormalization'
import { edgeLabels, DEFAULT_EDGE_WIDTH_PX } from '../../model/edgeLabels'
import { multiTaskLossTerms, resolveLossWeights } from '../../model/losses/multiTaskLoss'
import { buildMultiTaskModel, runMultiTask } from '../../model/multiTaskModel'
import { selectBackend } from '../backend/selectBackend'
import { createRandom, deriveSeed } from '../data/random'
import { DEFAULT_LESION_MASKS_DIR, DEFAULT_SHARED_DATA_DIR } from '../data/sharedPaths'
import type { SynthMode } from '../synth/contrast'
import { lesionFiles, loadLesionShapes } from '../synth/lesionBank'
import { createSliceBatches } from '../synth/syntheticData'
import { loadTissueLabelMaps } from '../synth/tissueLabels'
import { helpText, parseOptions, runCli, type OptionTable } from './args'
import { restoreCheckpoint } from '../loop/checkpoint'

const OPTIONS = {
  synth: { type: 'string', choices: ['mr', 'ct'], default: 'mr', help: 'synthetic batches of this mode' },
  filters: { type: 'list', default: [8, 16, 32, 64, 128], help: 'filters of UNet++ levels 0..4' },
  size: { type: 'integer', default: 64, help: 'slice size (multiple of 64)' },
  batch: { type: 'integer', default: 16, help: 'slices per batch' },
  batches: { type: 'integer', default: 4, help: 'batches averaged' },
  'lap-weight': { type: 'number', default: 10, help: 'delta' },
  'init-from': { type: 'string', default: '', help: 'a training checkpoint folder (default: freshly initialised weights)' },
  'max-masks': { type: 'integer', default: 60, help: 'training lesion masks read' },
  seed: { type: 'integer', default: 1, help: 'seed of the batches (initial weights are drawn by tfjs, unseeded)' },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'wasm', help: 'tfjs backend' },
} as const satisfies OptionTable

type Term = 'mask' | 'edge' | 'laplacian'
const TERMS: readonly Term[] = ['mask', 'edge', 'laplacian']

export interface TermGradient {
  readonly term: Term
  readonly weight: number
  readonly loss: number
  /** L2 norm of the weighted term's gradient over all trainable weights. */
  readonly weightGradientNorm: number
  readonly cosineWithMask: number
  /** Mean gradient of the weighted term on the mask logits of lesion pixels and of background pixels (x 1e6). */
  readonly lesionLogitGradient: number
  readonly backgroundLogitGradient: number
}

export async function lossGradients(argv: string[]): Promise<TermGradient[]> {
  const o = parseOptions(argv, OPTIONS)
  await selectBackend(o.backend)
  const mode = o.synth as SynthMode
  const trained = buildMultiTaskModel({ filters: o.filters as unknown as [number, number, number, number, number], aux: 'lffgm' })
  if (o['init-from']) await restoreCheckpoint(o['init-from'], trained)
  const files = createRandom(deriveSeed(o.seed, 'masks')).shuffle(lesionFiles(DEFAULT_LESION_MASKS_DIR, ['train'])).slice(0, o['max-masks'])
  const source = createSliceBatches({
    mode,
    heads: loadTissueLabelMaps(DEFAULT_SHARED_DATA_DIR),
    lesions: loadLesionShapes(files),
    seed: o.seed,
    normalization: mode === 'ct' ? CT_NORMALIZATION : MR_NORMALIZATION,
    size: o.size,
    spacingMm: 2,
    lesionFraction: 0.6,
  })
  const weights = resolveLossWeights({ laplacian: o['lap-weight'] })
  const sums = new Map<Term, { loss: number; norm: number; cosine: number; lesion: number; background: number }>()
  const variables = trained.model.trainableWeights.map((w) => w.read() as tf.Variable)
  for (let b = 0; b < o.batches; b++) {
    const { images, masks } = source.batch(b, o.batch)
    const edge = edgeLabels(masks, DEFAULT_EDGE_WIDTH_PX)
    const perTerm = new Map<Term, { loss: number; grads: tf.Tensor[]; logitGrad: tf.Tensor }>()
    for (const term of TERMS) {
      const factor = term === 'mask' ? weights.mask : term === 'edge' ? weights.edge : weights.laplacian
      const f = () => {
        const prediction = runMultiTask(trained, images, true)
        const terms = multiTaskLossTerms(prediction, { mask: masks, edge }, weights)
        return (terms[term] as tf.Scalar).mul(factor) as tf.Scalar
      }
      const { value, grads } = tf.variableGrads(f, variables)
      // The same term's gradient on the mask logits, through a second function of the logits alone.
      // (The edge term does not depend on the mask logits: zero.)
      const logitGrad = tf.tidy(() => {
        if (term === 'edge') return tf.zerosLike(masks)
        const prediction = runMultiTask(trained, images, true)
        return tf.grad((x: tf.Tensor) => (multiTaskLossTerms({ ...prediction, maskLogits: x as tf.Tensor4D }, { mask: masks, edge }, weights)[term] as tf.Scalar).mul(factor))(prediction.maskLogits)
      })
      perTerm.set(term, { loss: (await value.data())[0] / factor, grads: variables.map((v) => grads[v.name] ?? tf.zerosLike(v)), logitGrad })
      value.dispose()
    }
    const flat = (gs: tf.Tensor[]) => tf.concat(gs.map((g) => g.flatten()))
    const maskFlat = flat(perTerm.get('mask')!.grads)
    for (const term of TERMS) {
      const { loss, grads, logitGrad } = perTerm.get(term)!
      const [norm, cosine, lesion, background] = tf.tidy(() => {
        const g = flat(grads)
        const lesionPixels = masks.sum()
        const backgroundPixels = tf.scalar(masks.size).sub(lesionPixels)
        return [
          g.norm(),
          g.dot(maskFlat).div(g.norm().mul(maskFlat.norm()).add(1e-12)),
          logitGrad.mul(masks).sum().div(lesionPixels.maximum(1)).mul(1e6),
          logitGrad.mul(tf.scalar(1).sub(masks)).sum().div(backgroundPixels.maximum(1)).mul(1e6),
        ].map((t) => t.dataSync()[0])
      })
      const s = sums.get(term) ?? { loss: 0, norm: 0, cosine: 0, lesion: 0, background: 0 }
      sums.set(term, { loss: s.loss + loss, norm: s.norm + norm, cosine: s.cosine + cosine, lesion: s.lesion + lesion, background: s.background + background })
      tf.dispose([...grads, logitGrad])
    }
    tf.dispose([images, masks, edge, maskFlat])
  }
  const n = o.batches
  const results = TERMS.map((term) => {
    const s = sums.get(term)!
    const weight = term === 'mask' ? weights.mask : term === 'edge' ? weights.edge : weights.laplacian
    return { term, weight, loss: s.loss / n, weightGradientNorm: s.norm / n, cosineWithMask: s.cosine / n, lesionLogitGradient: s.lesion / n, backgroundLogitGradient: s.background / n }
  })
  trained.model.dispose()
  console.log(`${o['init-from'] ? `checkpoint ${o['init-from']}` : 'initial weights'}, ${n} synthetic ${mode} batches of ${o.batch} at ${o.size}x${o.size}`)
  console.log('| term | weight | loss | gradient norm (weighted) | cosine with mask gradient | mean logit gradient, lesion (x1e6) | mean logit gradient, background (x1e6) |')
  console.log('|---|---|---|---|---|---|---|')
  for (const r of results) {
    console.log(`| ${r.term} | ${r.weight} | ${r.loss.toFixed(4)} | ${r.weightGradientNorm.toFixed(4)} | ${r.cosineWithMask.toFixed(3)} | ${r.lesionLogitGradient.toFixed(2)} | ${r.backgroundLogitGradient.toFixed(2)} |`)
  }
  return results
}

if (process.argv[1]?.endsWith('lossGradients.ts')) {
  runCli(helpText('loss-gradients', 'Measures the gradient each term of the multi-task loss sends into the network, on synthetic batches.', OPTIONS), async (argv) => {
    await lossGradients(argv)
  })
}
