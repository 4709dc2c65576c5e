/**
 * npm run segment -- SCAN [SCAN...] --out DIR [--model MODEL_DIR] [--backend] [--reference MASK]: the app's
 * pipeline (segmentScan: the brain model, then the lesion model) from Node. Each NIfTI scan (a folder: every NIfTI in it) gets
 * DIR/<name>_lesion.nii.gz on the scan's own grid and affine; the lesion volume in mL is printed per scan. A 4-D
 * diffusion series with its .bval beside it is segmented on its trace-weighted image (io/nifti/diffusion.ts).
 * Without --model, a scan gets the bundled model the app would give it (pipeline/bundledModels.ts): CT scans the
 * CT model; MR scans the model of their contrast where one is shipped (read from the file name and b-values, or
 * given with --contrast), else the model for any MR contrast.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { bundledModelFor } from '../../pipeline/bundledModels'
import { NAMED_CONTRASTS, recogniseContrast, type RecognisedContrast } from '../../pipeline/scanContrast'
import { disposeSegmentationModel, type SegmentationModel } from '../../pipeline/loadSegmentationModel'
import { checkResult, resultWarning } from '../../pipeline/resultCheck'
import { planRun } from '../../pipeline/runPlan'
import { brainStepNotice, segmentScan } from '../../pipeline/segmentScan'
import { writeNifti } from '../../io/nifti/writeNifti'
import { volumeScores } from '../../model/metrics/segmentationMetrics'
import { lesionReport } from '../../volume/lesionReport'
import { binaryMaskFrom, gridMismatch, guessModality, type Volume } from '../../volume/volume'
import { selectBackend } from '../backend/selectBackend'
import { listFilesRecursively, NIFTI_FILE, readNiftiFile, readScanFile } from '../io/niftiFiles'
import { loadModelFolder } from './modelFolder'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

const OPTIONS = {
  out: { type: 'string', required: true, help: 'folder for the <name>_lesion.nii.gz masks (created)' },
  model: { type: 'string', help: 'model folder (model.json + model-card.json); default: the bundled model for the scan\'s modality and contrast' },
  models: { type: 'string', default: 'models', help: 'folder of the bundled models' },
  contrast: {
    type: 'string',
    choices: ['auto', ...NAMED_CONTRASTS.map((c) => c.toLowerCase())],
    default: 'auto',
    help: "the MR scans' contrast, which picks the bundled model without --model; auto: read from each file name and b-values",
  },
  backend: { type: 'string', choices: ['auto', 'wasm', 'webgpu', 'cpu'], default: 'auto', help: 'tfjs backend' },
  reference: { type: 'string', help: 'a reference lesion mask on the scan\'s grid (one scan only): prints Dice and IoU' },
  strict: { type: 'boolean', help: 'exit with status 2 when a result cannot be right (resultCheck: larger than a stroke, outside the head, in pieces)' },
} as const satisfies OptionTable

export interface SegmentedScan {
  readonly scan: string
  readonly output: string
  readonly model: string
  readonly volumeMl: number
  readonly lesions: number
  /** Against --reference; null when both masks are empty. */
  readonly dice?: number | null
  /** What cannot be right about the result (empty: nothing looks wrong). */
  readonly warnings: readonly string[]
}

/** The scans named on the command line: files as given, folders expanded to the NIfTI files in them. */
function scanPaths(args: readonly string[]): string[] {
  if (args.length === 0) throw new UsageError('name at least one scan (.nii or .nii.gz) or folder (see --help)')
  return args.flatMap((arg) => {
    if (!existsSync(arg)) throw new UsageError(`${arg} not found`)
    if (!statSync(arg).isDirectory()) return [arg]
    const found = listFilesRecursively(arg).filter((f) => NIFTI_FILE.test(f))
    if (found.length === 0) throw new UsageError(`${arg} holds no NIfTI scans (.nii, .nii.gz); convert DICOM in the app or with dcm2niix first`)
    return found
  })
}

export async function segmentScans(argv: string[]): Promise<SegmentedScan[]> {
  const o = parseOptions(argv, OPTIONS, true)
  const scans = scanPaths(o._)
  if (o.reference && scans.length !== 1) throw new UsageError('--reference needs exactly one scan')
  const backend = await selectBackend(o.backend)
  mkdirSync(o.out, { recursive: true })
  const loaded = new Map<string, SegmentationModel>()
  const modelIn = async (dir: string) => {
    if (!loaded.has(dir)) loaded.set(dir, await loadModelFolder(dir, '--model / --models'))
    return loaded.get(dir)!
  }
  const results: SegmentedScan[] = []
  try {
    for (const path of scans) {
      const { volume: scan, notes, traceB } = readScanFile(path)
      for (const note of notes) console.log(`${path}: ${note}`)
      const modality = scan.modality === 'unknown' ? guessModality(scan.data) : scan.modality
      const contrast = contrastOf(o.contrast, basename(path), traceB)
      const auto = bundledModelFor(modality, contrast)
      const modelDir = o.model ?? join(o.models, auto.model.id)
      if (!o.model) console.log(`${path}: model ${modelDir}, for ${auto.reason}`)
      const segmentation = await modelIn(modelDir)
      const card = segmentation.card
      const started = Date.now()
      const { mask, brain } = await segmentScan(scan, segmentation, planRun(scan, tf.getBackend()), { contrast: contrast?.contrast ?? null })
      const output = join(o.out, `${basename(path).replace(NIFTI_FILE, '')}_lesion.nii.gz`)
      backend.assertHealthy()
      writeFileSync(output, writeNifti(mask, { description: `StrokeSeg ${card.name}` }))
      const report = lesionReport(mask, scan)
      const check = checkResult(scan, mask, card.normalization)
      const result: SegmentedScan = { scan: path, output, model: modelDir, volumeMl: report.volumeMl, lesions: report.lesions.length, warnings: check.warnings, ...referenceScores(o.reference, scan, mask) }
      results.push(result)
      console.log(
        `${path}: ${report.volumeMl.toFixed(2)} mL in ${report.lesions.length} lesion(s)` +
          `${report.lesions.length ? `, largest ${report.lesions[0].volumeMl.toFixed(2)} mL` : ''} (${modality}, model ${modelDir}, ${((Date.now() - started) / 1000).toFixed(1)} s)` +
          `${result.dice === undefined ? '' : `; Dice ${result.dice?.toFixed(3) ?? '- (both empty)'} against ${o.reference}`} -> ${output}`,
      )
      const brainNotice = brainStepNotice(brain)
      if (brainNotice) console.log(`${path}: ${brainNotice}`)
      const warning = resultWarning(check, card.name)
      if (warning) console.warn(`WARNING ${path}: ${warning}`)
    }
  } finally {
    for (const segmentation of loaded.values()) disposeSegmentationModel(segmentation)
  }
  const doubtful = results.filter((r) => r.warnings.length > 0).length
  if (o.strict && doubtful > 0) throw new Error(`--strict: ${doubtful} of ${results.length} results cannot be right (the warnings above); their masks are written`)
  return results
}

/** The contrast --contrast gives, or with auto the one the file name and b-values name. */
function contrastOf(option: string, fileName: string, traceB: number | null): RecognisedContrast | null {
  if (option === 'auto') return recogniseContrast({ fileName, traceB })
  const given = NAMED_CONTRASTS.find((c) => c.toLowerCase() === option)
  return given ? { contrast: given, source: '--contrast' } : null
}

function referenceScores(path: string | undefined, scan: Volume, mask: Volume): { dice?: number | null } {
  if (!path) return {}
  const reference = readNiftiFile(path)
  const problem = gridMismatch(scan, reference)
  if (problem) throw new UsageError(`--reference ${path} is not on the scan's grid: ${problem}`)
  const scores = volumeScores(mask.data, binaryMaskFrom(reference).data)
  return { dice: scores.dice }
}

if (process.argv[1]?.endsWith('segment.ts')) {
  runCli(helpText('segment', 'Segments stroke lesions in NIfTI scans with the app\'s pipeline; writes <name>_lesion.nii.gz and prints the volume in mL.', OPTIONS, 'SCAN [SCAN...] '), async (argv) => {
    await segmentScans(argv)
  })
}
