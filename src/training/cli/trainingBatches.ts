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
import { parseContrastChannels, parseHuRange, parseMrContrasts, type MrContrast, type SynthMode } from '../synth/contrast'
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

/** `contrastChannels`: the run's, parsed once (contrastChannelsOf). */
export function synthBatches(mode: SynthMode, o: TrainConfig, normalization: Normalization, contrastChannels: readonly NamedContrast[]): BatchSource {
  const masksDir = o.masks
  if (!existsSync(masksDir)) throw new UsageError(`lesion masks folder ${masksDir} not found (--masks)`)
  const files = createRandom(deriveSeed(o.seed, 'masks')).shuffle(lesionFiles(masksDir, ['train'])).slice(0, o['max-masks'])
  console.log(`reading the heads' tissue labels and ${files.length} training lesion masks`)
  const heads = loadTissueLabelMaps(o['shared-data'], o.heads)
  const lesions = loadLesionShapes(files, (line) => console.log(line))
  const source = createSliceBatches({ mode, heads, lesions, randomContrastShare: o['random-contrast'], namedContrasts: contrastsOf(o.contrasts), whiteMatterDiseaseShare: o['wm-disease'], ...ctHuRangesOf(o, mode), lesionShiftMm: o['lesion-shift'], fieldOfViewShare: o['field-of-view'], chronicFlairShare: o['chronic-flair'], coilShare: o.coil, epiArtifactShare: o['epi-artifact'], atrophyShare: o.atrophy, lesionAnatomyShare: o['lesion-anatomy'], acquisitionLookShare: o['acquisition-look'], contrastChannels, unnamedContrastShare: o['unnamed-contrast'], seed: o.seed, normalization, size: o.size, spacingMm: o.spacing, lesionFraction: o['lesion-fraction'], target: o.target })
  const steps = o['steps-per-epoch']
  return (epoch, step) => source.batch(epoch * steps + step, o.batch)
}

/** --ct-lesion-hu and --ct-wm-disease-hu (train and make-data): the generator's CT ranges, where given. */
export function ctHuRangesOf(o: { readonly 'ct-lesion-hu'?: string; readonly 'ct-wm-disease-hu'?: string }, mode: SynthMode): Pick<SyntheticScanOptions, 'ctLesionDropHu' | 'ctWhiteMatterDiseaseHu'> {
  const range = (name: 'ct-lesion-hu' | 'ct-wm-disease-hu', most: number) => {
    const text = o[name]
    if (!text) return undefined
    if (mode !== 'ct') throw new UsageError(`--${name} is for CT (--synth ct, --kind synth-ct)`)
    try {
      return parseHuRange(text, most)
    } catch (error) {
      throw new UsageError(`--${name}: ${(error as Error).message}`)
    }
  }
  const ctLesionDropHu = range('ct-lesion-hu', 40)
  const ctWhiteMatterDiseaseHu = range('ct-wm-disease-hu', 20)
  return { ...(ctLesionDropHu && { ctLesionDropHu }), ...(ctWhiteMatterDiseaseHu && { ctWhiteMatterDiseaseHu }) }
}

/** What the CT ranges asked for change in a dataset's description (make-data) or a card's data (train). */
export function ctHuRangesDescription({ ctLesionDropHu, ctWhiteMatterDiseaseHu }: ReturnType<typeof ctHuRangesOf>): string[] {
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
