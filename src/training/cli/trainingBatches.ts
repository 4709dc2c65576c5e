/**
 * Where a training run's batches come from: slices of a dataset's cases, or synthetic slices drawn on the fly
 * (--synth), and the contrast options of the synthetic ones.
 */
import { existsSync } from 'node:fs'
import type * as tf from '@tensorflow/tfjs'
import type { Normalization } from '../../pipeline/intensityNormalization'
import type { NamedContrast } from '../../pipeline/scanContrast'
import { createRandom, deriveSeed } from '../data/random'
import { batchTensors, sampleBatch, type PreparedCase, type SamplerOptions } from '../data/sliceSampler'
import { parseContrastChannels, parseMrContrasts, type HuRange, type MrContrast, type SynthMode } from '../synth/contrast'
import { lesionFiles, loadLesionShapes } from '../synth/lesionBank'
import { createSliceBatches } from '../synth/syntheticData'
import type { SyntheticScanOptions } from '../synth/syntheticScan'
import { loadTissueLabelMaps } from '../synth/tissueLabels'
import { UsageError } from './args'
import type { TrainConfig } from './train'

export type BatchSource = (epoch: number, step: number) => { images: tf.Tensor4D; masks: tf.Tensor4D }

export function trainBatches(prepared: PreparedCase[], o: TrainConfig): BatchSource {
  const sampler: SamplerOptions = { size: o.size, batch: o.batch, lesionFraction: o['lesion-fraction'], augment: true, seed: o.seed }
  return (epoch, step) => batchTensors(sampleBatch(prepared, sampler, epoch, step), sampler.size)
}

/** `contrastChannels` and `ctRanges`: the run's, read once (contrastChannelsOf, ctHuRangesOf). */
export function synthBatches(mode: SynthMode, o: TrainConfig, normalization: Normalization, contrastChannels: readonly NamedContrast[], ctRanges: CtHuRanges): BatchSource {
  const masksDir = o.masks
  if (!existsSync(masksDir)) throw new UsageError(`lesion masks folder ${masksDir} not found (--masks)`)
  const files = createRandom(deriveSeed(o.seed, 'masks')).shuffle(lesionFiles(masksDir, ['train'])).slice(0, o['max-masks'])
  console.log(`reading the heads' tissue labels and ${files.length} training lesion masks`)
  const heads = loadTissueLabelMaps(o['shared-data'], o.heads)
  const lesions = loadLesionShapes(files, (line) => console.log(line))
  const source = createSliceBatches({ mode, heads, lesions, randomContrastShare: o['random-contrast'], namedContrasts: contrastsOf(o.contrasts), whiteMatterDiseaseShare: o['wm-disease'], ...ctRanges, lesionShiftMm: o['lesion-shift'], fieldOfViewShare: o['field-of-view'], chronicFlairShare: o['chronic-flair'], coilShare: o.coil, epiArtifactShare: o['epi-artifact'], atrophyShare: o.atrophy, lesionAnatomyShare: o['lesion-anatomy'], acquisitionLookShare: o['acquisition-look'], contrastChannels, unnamedContrastShare: o['unnamed-contrast'], mirrorChannel: o['mirror-channel'], seed: o.seed, normalization, size: o.size, spacingMm: o.spacing, lesionFraction: o['lesion-fraction'], target: o.target })
  const steps = o['steps-per-epoch']
  return (epoch, step) => source.batch(epoch * steps + step, o.batch)
}

export type CtHuRanges = Pick<SyntheticScanOptions, 'ctLesionDropHu' | 'ctWhiteMatterDiseaseHu'>

/** --ct-lesion-hu and --ct-wm-disease-hu (train and make-data, comma lists): the generator's CT ranges, where given. */
export function ctHuRangesOf(o: { readonly 'ct-lesion-hu'?: readonly number[]; readonly 'ct-wm-disease-hu'?: readonly number[] }, mode: SynthMode): CtHuRanges {
  const range = (name: 'ct-lesion-hu' | 'ct-wm-disease-hu', most: number): HuRange | undefined => {
    const values = o[name]
    if (!values) return undefined
    if (mode !== 'ct') throw new UsageError(`--${name} is for CT (--synth ct, --kind synth-ct)`)
    const [low, high] = values
    if (values.length !== 2 || !(low >= 0 && low <= high && high <= most)) throw new UsageError(`--${name} must be LOW,HIGH in HU with 0 <= LOW <= HIGH <= ${most}; got '${values.join(',')}'`)
    return [low, high]
  }
  return { ctLesionDropHu: range('ct-lesion-hu', 40), ctWhiteMatterDiseaseHu: range('ct-wm-disease-hu', 20) }
}

/** What the CT ranges asked for change in a dataset's description (make-data) or a card's data (train). */
export function ctHuRangesDescription({ ctLesionDropHu, ctWhiteMatterDiseaseHu }: CtHuRanges): string[] {
  return [ctLesionDropHu && `here infarcts ${ctLesionDropHu.join('-')} HU darker`, ctWhiteMatterDiseaseHu && `white-matter disease (where drawn) ${ctWhiteMatterDiseaseHu.join('-')} HU darker`].filter((p) => typeof p === 'string')
}

export function contrastsOf(list: string): MrContrast[] | undefined {
  try {
    return list ? parseMrContrasts(list) : undefined
  } catch (error) {
    throw new UsageError(`--contrasts: ${(error as Error).message}`)
  }
}

export function contrastChannelsOf(list: string, synth: string | undefined): NamedContrast[] {
  if (!list) return []
  if (synth !== 'mr') throw new UsageError('--contrast-channels needs --synth mr (the generator knows each slice\'s contrast)')
  try {
    return parseContrastChannels(list)
  } catch (error) {
    throw new UsageError(`--contrast-channels: ${(error as Error).message}`)
  }
}
