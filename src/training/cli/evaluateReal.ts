/**
 * npm run evaluate:real -- --model MODEL_DIR [--real DIR] [--card]: scores a model on the real scans of
 * `../shared/data/real` through the app's pipeline (segmentScan, with the brain model its card names):
 * - every real stroke scan with an expert mask (today a FLAIR and a T2): Dice, IoU, predicted and true
 *   volume, lesion-wise detection (reference lesions touched) and predicted lesions that touch no reference;
 * - real healthy heads that no model trained on: the volume it marks, against the head's volume (a lesion
 *   mask larger than the brain is a failure whatever the contrast).
 * Real scans are for evaluation only: never for training, model selection or threshold choice.
 * Prints a markdown table; writes evaluation-real.json into the model folder (or --json PATH); --card adds the scores to
 * model-card.json (metrics.realScans), which the app shows.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { analyzeIntensities, CT_NORMALIZATION, MR_NORMALIZATION } from '../../pipeline/intensityNormalization'
import { disposeSegmentationModel, type SegmentationModel } from '../../pipeline/loadSegmentationModel'
import { contrastsOnly, type ModelCard } from '../../pipeline/modelCard'
import { planRun } from '../../pipeline/runPlan'
import { segmentScan } from '../../pipeline/segmentScan'
import { recogniseContrast } from '../../pipeline/scanContrast'
import { connectedComponents } from '../../volume/connectedComponents'
import { lesionVolumeMl } from '../../volume/lesionReport'
import { countNonZero, gridMismatch, type Volume } from '../../volume/volume'
import { selectBackend } from '../backend/selectBackend'
import { DEFAULT_REAL_DATA_DIR } from '../data/sharedPaths'
import { readNiftiFile } from '../io/niftiFiles'
import { evaluateCases } from '../loop/evaluateCases'
import { loadModelFolder, writeModelCard } from './modelFolder'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

export interface RealScan {
  readonly id: string
  readonly modality: 'MR' | 'CT'
  readonly contrast: string
  /** Relative to the real data folder. */
  readonly scan: string
  /** The lesion mask (> 0 is lesion); absent for a healthy head. */
  readonly mask?: string
  /** Why the mask's Dice says less than an expert segmentation's would, said wherever the score is shown. */
  readonly maskCaveat?: string
}

/**
 * The FLAIR pair's mask is niivue's drawing demo (MANIFEST: "niivue pen colours", meaning undocumented), measured in
 * session 55: labels 2 and 3 (31,356 of 32,481 voxels) are straight strokes, shapes drawn on single slices and marks
 * outside the head; label 1 (1,125 voxels) is the one shape that follows a bright region in the brain. Checked
 * against the file by evaluateRealNotes.test.ts.
 */
export const FLAIR_DRAWING_CAVEAT =
  "The FLAIR's mask is niivue's drawing demo, not an expert segmentation: 96 % of its voxels are pen marks (straight strokes, shapes drawn on single slices, marks outside the head). A mask of exactly its one lesion-like shape in the brain (1.1 mL) would score Dice 0.07 against it, so its Dice says little."


/**
 * The real scans of `../shared/data/real` (MANIFEST.md) that can score a model. None is used in training, except
 * that healthy-t1's anatomy is one of the generator's four heads (tissueLabels.ts, since session 36): what is
 * marked on it is no longer a held-out measure.
 */
export const REAL_SCANS: readonly RealScan[] = [
  { id: 'stroke-flair', modality: 'MR', contrast: 'FLAIR', scan: 'lesion/niivue_flair/FLAIR.nii.gz', mask: 'lesion/niivue_flair/lesion.nii.gz', maskCaveat: FLAIR_DRAWING_CAVEAT },
  { id: 'stroke-t2', modality: 'MR', contrast: 'T2', scan: 'lesion/clinical_t2/T2.nii', mask: 'lesion/clinical_t2/lesionT2.nii' },
  { id: 'healthy-t1', modality: 'MR', contrast: 'T1 (a training head)', scan: 'mri_t1/chris_t1.nii.gz' },
  { id: 'healthy-avg152-t1', modality: 'MR', contrast: 'T1 (2 mm template)', scan: 'mri_t1/avg152T1_RL_nifti.nii.gz' },
  // Echo-planar heads (functional MRI, no known lesion): DWI's readout, resolution and artefacts without its contrast.
  { id: 'healthy-epi-mosaic', modality: 'MR', contrast: 'EPI (3.25 mm)', scan: 'dicom/transfer_syntax/ref_1.nii' },
  { id: 'healthy-epi-4d', modality: 'MR', contrast: 'EPI (4-D file, first volume)', scan: 'edge/example4d.nii.gz' },
]

const OPTIONS = {
  model: { type: 'string', default: 'models/mr', help: 'model folder with model.json and model-card.json' },
  real: { type: 'string', default: DEFAULT_REAL_DATA_DIR, help: 'the real data folder (../shared/data/real)' },
  scans: { type: 'string', default: '', help: `comma-separated ids to score (default: every scan of the model's modality): ${REAL_SCANS.map((s) => s.id).join(', ')}` },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend' },
  json: { type: 'string', help: 'where to write the JSON (default MODEL_DIR/evaluation-real.json)' },
  card: { type: 'boolean', help: "write the scores into the model's model-card.json (metrics.realScans)" },
} as const satisfies OptionTable

export interface RealScanScore {
  readonly id: string
  readonly contrast: string
  readonly dice: number | null
  readonly iou: number | null
  readonly predictedMl: number
  readonly referenceMl: number | null
  /** Reference lesions (26-connected) touched by the prediction, of all. */
  readonly lesionsDetected: number | null
  readonly lesions: number | null
  /** Predicted lesions (26-connected) that touch no reference lesion. */
  readonly falsePositiveLesions: number | null
  /** Voxels above the normalisation's head threshold, in mL. */
  readonly headMl: number
}

export interface RealEvaluation {
  readonly model: string
  readonly modality: 'MR' | 'CT'
  readonly scores: readonly RealScanScore[]
  /** What could not be scored, in words (e.g. no real CT with a lesion mask). */
  readonly notes: readonly string[]
}

export async function evaluateReal(argv: string[]): Promise<RealEvaluation> {
  const o = parseOptions(argv, OPTIONS)
  const modelDir = o.model
  const wanted = o.scans.split(',').filter(Boolean)
  for (const id of wanted) if (!REAL_SCANS.some((s) => s.id === id)) throw new UsageError(`--scans: unknown id '${id}' (${REAL_SCANS.map((s) => s.id).join(', ')})`)
  const backend = await selectBackend(o.backend)
  const { cardJson, ...segmentation } = await loadModelFolder(modelDir)
  const card = segmentation.card
  const scans = REAL_SCANS.filter((s) => (wanted.length > 0 ? wanted.includes(s.id) : s.modality === card.modality))
  const notes = realScanNotes(card, scans)
  const scores: RealScanScore[] = []
  try {
    for (const s of scans) {
      const path = join(o.real, s.scan)
      if (!existsSync(path)) throw new UsageError(`${path} not found (--real)`)
      const image = readNiftiFile(path)
      const reference = s.mask ? readNiftiFile(join(o.real, s.mask)) : null
      if (reference) {
        const problem = gridMismatch(image, reference, 0.5)
        if (problem) throw new Error(`${s.id}: the mask is not on the scan's grid: ${problem}`)
      }
      scores.push(await scoreScan(s, image, reference, segmentation))
    }
  } finally {
    disposeSegmentationModel(segmentation)
  }
  backend.assertHealthy()
  const evaluation: RealEvaluation = { model: modelDir, modality: card.modality, scores, notes }
  console.log(formatRealEvaluation(evaluation))
  writeFileSync(o.json ?? join(modelDir, 'evaluation-real.json'), JSON.stringify(evaluation, null, 1) + '\n')
  if (o.card) {
    writeModelCard(modelDir, { ...cardJson, metrics: { ...cardJson.metrics, realScans: { scores, notes, measuredAt: new Date().toISOString() } } })
  }
  return evaluation
}

/**
 * What the real-scan table cannot show, said on the card: no real CT has a lesion mask; a scored mask that is no
 * expert segmentation; a model for some MR contrasts only is scored on scans it is not for, and on none of its own
 * where no real scan of them has an expert mask.
 */
export function realScanNotes(card: Pick<ModelCard, 'modality' | 'contrast'>, scored: readonly RealScan[]): string[] {
  if (card.modality === 'CT') return ['No real CT with a lesion mask was available: the CT model is scored on synthetic CT only.']
  const caveats = scored.flatMap((s) => (s.mask && s.maskCaveat ? [s.maskCaveat] : []))
  const contrasts = contrastsOnly(card.contrast)
  if (!contrasts) return caveats
  const named = contrasts.join(', ')
  const own = REAL_SCANS.filter((s) => s.mask && !s.maskCaveat && contrasts.includes(s.contrast))
  return [
    `This model is for ${named} scans only: the rows of other contrasts show what it marks where it should not be used.`,
    ...(own.length === 0 ? [`No real ${named} scan with an expert mask was available: on its own contrast it is scored on synthetic scans only.`] : []),
    ...caveats,
  ]
}

async function scoreScan(s: RealScan, image: Volume, reference: Volume | null, segmentation: SegmentationModel): Promise<RealScanScore> {
  const { headCounts } = analyzeIntensities(image, segmentation.card.modality === 'CT' ? CT_NORMALIZATION : MR_NORMALIZATION)
  const head = headCounts[2].reduce((a, b) => a + b, 0) // head voxels, counted per slice by the normalisation
  const headMl = lesionVolumeMl(head, image.spacing)
  const contrast = recogniseContrast({ fileName: basename(s.scan) })?.contrast ?? null // as the app reads it
  if (!reference) {
    const { mask } = await segmentScan(image, segmentation, planRun(image, tf.getBackend()), { contrast })
    const predictedMl = lesionVolumeMl(countNonZero(mask.data), image.spacing)
    return { id: s.id, contrast: s.contrast, dice: null, iou: null, predictedMl, referenceMl: null, lesionsDetected: null, lesions: null, falsePositiveLesions: connectedComponents(mask.data, image.dims).count, headMl }
  }
  const { cases } = await evaluateCases([{ id: s.id, image, mask: reference, contrast }], segmentation)
  const c = cases[0]
  return {
    id: s.id,
    contrast: s.contrast,
    dice: c.dice,
    iou: c.iou,
    predictedMl: c.predictedMl,
    referenceMl: c.referenceMl,
    lesionsDetected: c.lesionsDetected,
    lesions: c.lesions,
    falsePositiveLesions: c.falsePositiveLesions,
    headMl,
  }
}

export function formatRealEvaluation(e: RealEvaluation): string {
  const f = (v: number | null, digits = 3) => (v === null ? '-' : v.toFixed(digits))
  return [
    `Real scans, model ${e.model} (${e.modality}):`,
    '',
    '| scan | contrast | Dice | IoU | predicted mL | mask mL | lesions found | false-positive lesions | head mL |',
    '|---|---|---|---|---|---|---|---|---|',
    ...e.scores.map(
      (s) =>
        `| ${s.id} | ${s.contrast} | ${f(s.dice)} | ${f(s.iou)} | ${f(s.predictedMl, 1)} | ${f(s.referenceMl, 1)} | ${s.lesions === null ? '-' : `${s.lesionsDetected}/${s.lesions}`} | ${s.falsePositiveLesions ?? '-'} | ${f(s.headMl, 0)} |`,
    ),
    ...e.notes.map((n) => `\n${n}`),
  ].join('\n')
}

if (process.argv[1]?.endsWith('evaluateReal.ts')) {
  runCli(helpText('evaluate:real', 'Scores a model on the real scans with lesion masks (and real healthy heads) through the app\'s pipeline.', OPTIONS), async (argv) => {
    await evaluateReal(argv)
  })
}
