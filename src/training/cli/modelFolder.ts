/**
 * A model folder as the CLIs use it: model.json, its weight shards and model-card.json, checked, loaded as the
 * app loads it (with the brain model its card names, from the folder it names beside it), and its card
 * rewritten with scores (rounded to 4 decimals).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadSegmentationModel, type SegmentationModel } from '../../pipeline/loadSegmentationModel'
import type { ModelCard } from '../../pipeline/modelCard'
import { fileModelHandler } from '../io/modelFiles'
import { UsageError } from './args'

/** The folder's card as written (not checked: loadModelFolder checks it). */
export function readModelCard(dir: string): ModelCard {
  return JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8')) as ModelCard
}

export function writeModelCard(dir: string, card: ModelCard): void {
  writeFileSync(join(dir, 'model-card.json'), JSON.stringify(card, null, 1) + '\n') // undefined fields are left out
}

/** The folder's model with its checked card, and the card as written; a usage error naming `option` when a file is missing. */
export async function loadModelFolder(dir: string, option = '--model'): Promise<SegmentationModel & { cardJson: ModelCard }> {
  for (const f of ['model.json', 'model-card.json']) if (!existsSync(join(dir, f))) throw new UsageError(`${join(dir, f)} not found (${option})`)
  const cardJson = readModelCard(dir)
  const folderBeside = async (folder: string) => ({ source: fileModelHandler(join(resolve(dir, folder), 'model.json')), cardJson: readModelCard(resolve(dir, folder)) })
  return { ...(await loadSegmentationModel(fileModelHandler(join(dir, 'model.json')), cardJson, folderBeside)), cardJson }
}

/** A score as cards keep it: 4 decimals. */
export const roundScore = (v: number) => Math.round(v * 1e4) / 1e4
