/**
 * Loads an exported segmentation model (model.json + weight shards, tfjs layers format) with its card, and
 * checks that they belong together: one input channel, one output channel, the card's parameter count. With a
 * reader of folders beside it, also the brain model its card names (`brainMask`). The browser passes the
 * model.json URL; Node passes a file IOHandler.
 */
import * as tf from '@tensorflow/tfjs'
import { parseModelCard, type ModelCard } from './modelCard'

export interface SegmentationModel {
  readonly model: tf.LayersModel
  readonly card: ModelCard
  /** The brain model the card names (`card.brainMask`), when it was loaded with it. */
  readonly brain?: SegmentationModel
}

/** A model folder named relative to the one being loaded (e.g. '../brain'): its model.json (URL or IOHandler) and its card. */
export type ModelFolderReader = (folder: string) => Promise<{ readonly source: string | tf.io.IOHandler; readonly cardJson: unknown }>

export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModelLoadError'
  }
}

export async function loadSegmentationModel(source: string | tf.io.IOHandler, cardJson: unknown, readFolder?: ModelFolderReader): Promise<SegmentationModel> {
  const card = parseModelCard(cardJson)
  let model: tf.LayersModel
  try {
    model = await tf.loadLayersModel(source)
  } catch (e) {
    throw new ModelLoadError(`the model's weights or topology could not be loaded: ${(e as Error).message}`)
  }
  const problem = mismatch(model, card)
  if (problem) {
    model.dispose()
    throw new ModelLoadError(`the model does not match its card: ${problem}`)
  }
  if (!card.brainMask || !readFolder) return { model, card }
  try {
    const folder = await readFolder(card.brainMask.model)
    return { model, card, brain: await loadSegmentationModel(folder.source, folder.cardJson) }
  } catch (e) {
    model.dispose()
    throw new ModelLoadError(`the brain model that the card names (${card.brainMask.model}) could not be loaded: ${(e as Error).message}`)
  }
}

/** The networks a segmentation runs: the model and, when loaded with it, its brain model. */
export function networksOf(segmentation: SegmentationModel): SegmentationModel[] {
  return segmentation.brain ? [segmentation, segmentation.brain] : [segmentation]
}

/** Frees the model's weights and its brain model's. */
export function disposeSegmentationModel(segmentation: SegmentationModel): void {
  for (const { model } of networksOf(segmentation)) model.dispose()
}

function mismatch(model: tf.LayersModel, card: ModelCard): string | null {
  const input = model.inputs[0]?.shape
  const output = model.outputs[0]?.shape
  const channels = card.architecture.inputChannels
  if (model.inputs.length !== 1 || input?.length !== 4 || input[3] !== channels) return `expected one input [batch, H, W, ${channels}], got ${JSON.stringify(input)}`
  if (model.outputs.length !== 1 || output?.length !== 4 || output[3] !== 1) return `expected one output [batch, H, W, 1], got ${JSON.stringify(output)}`
  const parameters = model.countParams()
  if (parameters !== card.architecture.parameters) return `it has ${parameters} parameters, the card says ${card.architecture.parameters}`
  return null
}
