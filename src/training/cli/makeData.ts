/**
 * npm run make-data -- --out DIR --kind synth-mr|synth-ct|synthetic-t1 --subjects N --seed S
 * Writes a dataset in the simple layout (images/, masks/, split.json, dataset.json), the same bytes for the
 * same options.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { countNonZero, voxelVolumeMm3, type Volume } from '../../volume/volume'
import { splitCases, writeSimpleCase } from '../data/datasetLayout'
import { createRandom, deriveSeed } from '../data/random'
import { renderLesion } from '../data/renderLesion'
import { DEFAULT_LESION_MASKS_DIR, DEFAULT_SHARED_DATA_DIR } from '../data/sharedPaths'
import { MR_CONTRASTS, type ContrastName, type SynthMode } from '../synth/contrast'
import { lesionFiles, loadLesionShapes, type MaskRole } from '../synth/lesionBank'
import { cropToFieldOfView, renderVolume, SYNTH_TARGETS, type SynthTarget } from '../synth/syntheticData'
import { sampleSyntheticScan } from '../synth/syntheticScan'
import { loadTissueLabelMaps } from '../synth/tissueLabels'
import { syntheticAnatomy, syntheticLesion } from '../data/syntheticHead'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'
import { ctHuRangesDescription, ctHuRangesOf } from './trainingBatches'

export const DATASET_KINDS = ['synth-mr', 'synth-ct', 'synthetic-t1'] as const
export type DatasetKind = (typeof DATASET_KINDS)[number]

const OPTIONS = {
  out: { type: 'string', required: true, help: 'folder to write (created; must be empty or absent)' },
  kind: { type: 'string', choices: DATASET_KINDS, default: 'synth-mr', help: 'synth-*: the training generator (real MNI heads, real lesion shapes); synthetic-t1: procedural heads and lesions (needs nothing from ../shared; for quick tests)' },
  subjects: { type: 'integer', default: 40, help: 'number of cases' },
  seed: { type: 'integer', default: 1, help: 'the same seed writes the same dataset' },
  masks: { type: 'string', default: DEFAULT_LESION_MASKS_DIR, help: 'synth-*: folder of MNI lesion masks (searched recursively)' },
  'mask-role': { type: 'string', choices: ['validation', 'benchmark', 'train', 'all'], default: 'validation', help: "synth-*: which of the masks' roles to paste (training never sees 'validation' or 'benchmark'); 'all': every mask of --masks" },
  contrasts: { type: 'string', default: '', help: 'synth-mr: MR contrasts cycled over the cases (t1,t2,flair,dwi,adc,random); default: drawn at random' },
  'wm-disease': { type: 'number', default: 0, help: 'synth-*: share of cases with unlabelled white-matter disease around the ventricles (hyperintense on FLAIR/T2, hypodense on CT): a distractor stroke masks leave out' },
  'ct-lesion-hu': { type: 'list', help: 'synth-ct: LOW,HIGH: how far (HU) below the tissue it replaces an infarct is drawn; default 2,15' },
  'ct-wm-disease-hu': { type: 'list', help: 'synth-ct: LOW,HIGH: how far (HU) below white matter its disease (leukoaraiosis) is drawn; default 2,6' },
  'field-of-view': { type: 'number', default: 0, help: 'synth-*: share of cases acquired with a tight field of view around the head (air beyond it), as clinical scans often are' },
  'crop-to-field-of-view': { type: 'boolean', default: false, help: 'synth-*: cut each case with a tight field of view to it: the volume ends where the acquisition did, with no air beyond (tight clinical scans, bounding-box exports)' },
  'chronic-flair': { type: 'number', default: 0, help: 'synth-mr: share of FLAIR cases whose lesions are chronic infarcts (a CSF-dark cavity in a bright rim)' },
  atrophy: { type: 'number', default: 0, help: 'synth-mr, synth-ct: share of cases with atrophy (sulci and ventricles widened into the brain by 0.5-2 mm, as in older brains)' },
  'lesion-anatomy': { type: 'number', default: 0, help: 'synth-mr: share of cases whose lesions let the anatomy they replace show through (white matter changed most, cortex and sulci less, in patches)' },
  coil: { type: 'number', default: 0, help: "synth-mr: share of cases with a receive coil's uneven sensitivity (a darker or brighter vertex, skull base or periphery)" },
  'epi-artifact': { type: 'number', default: 0, help: 'synth-mr: share of DWI and ADC cases with echo-planar susceptibility artefacts at the skull base (unlabelled bright or dark patches)' },
  'acquisition-look': { type: 'number', default: 0, help: "synth-mr: share of T2, DWI and ADC cases drawn with their real acquisition's look (echo-planar DWI and ADC, fast-spin-echo T2: train --help)" },
  'lesion-free': { type: 'integer', default: 0, help: 'synth-*: how many of the cases (the last ones) get no lesion: healthy heads, on which checkpoint and threshold choices see false positives' },
  'in-plane-mm': { type: 'number', default: 0, help: "synth-*: every case's in-plane pixel (mm; the same cases otherwise); default: drawn from 1.2-2 mm per case. 2 makes volumes on the model's own grid, as training slices are drawn" },
  target: { type: 'string', choices: SYNTH_TARGETS, default: 'lesion', help: "synth-*: what masks/ marks: the lesion, or the brain (parenchyma and its CSF, for a skull-stripping model)" },
  heads: { type: 'string', default: '', help: 'synth-*: heads to draw (comma-separated: colin27, icbm152-2009, betsct1, chris-t1; default all)' },
  'shared-data': { type: 'string', default: DEFAULT_SHARED_DATA_DIR, help: 'synth-*: folder holding anatomy/ and real/ (the heads)' },
} as const satisfies OptionTable

const DESCRIPTIONS: Record<DatasetKind, string> = {
  'synthetic-t1': 'procedural heads (T1 contrast) with procedural lesions, 2 mm',
  'synth-mr': 'contrast-randomised synthetic MR volumes (the training generator): real MNI heads, real lesion shapes, random contrast, slice thickness 1-7 mm, in-plane 1.2-2 mm',
  'synth-ct': 'synthetic non-contrast CT volumes (the training generator): real MNI heads, real lesion shapes 2-15 HU darker, slice thickness 0.6-7 mm, in-plane 1.2-2 mm',
}

export interface MakeDataOptions {
  readonly out: string
  readonly kind: DatasetKind
  readonly subjects: number
  readonly seed: number
  readonly masks: string
  readonly 'mask-role'?: MaskRole | 'all'
  readonly 'in-plane-mm'?: number
  readonly contrasts?: string
  readonly 'shared-data'?: string
  readonly heads?: string
  readonly target?: SynthTarget
  readonly 'lesion-free'?: number
  readonly 'wm-disease'?: number
  readonly 'ct-lesion-hu'?: readonly number[]
  readonly 'ct-wm-disease-hu'?: readonly number[]
  readonly 'field-of-view'?: number
  readonly 'crop-to-field-of-view'?: boolean
  readonly 'chronic-flair'?: number
  readonly coil?: number
  readonly atrophy?: number
  readonly 'lesion-anatomy'?: number
  readonly 'epi-artifact'?: number
  readonly 'acquisition-look'?: number
  readonly log?: (line: string) => void
}

export function makeDataset(o: MakeDataOptions): void {
  if (o.subjects < 1) throw new UsageError('--subjects must be at least 1')
  if ((o['lesion-free'] ?? 0) < 0 || (o['lesion-free'] ?? 0) > o.subjects) throw new UsageError('--lesion-free must be between 0 and --subjects')
  if (existsSync(o.out) && readdirSync(o.out).length > 0) throw new UsageError(`${o.out} is not empty; choose a new folder`)
  if (o['in-plane-mm'] && !(o['in-plane-mm'] >= 0.5 && o['in-plane-mm'] <= 4)) throw new UsageError('--in-plane-mm must be between 0.5 and 4 (mm), or 0 to draw it per case')
  if (o.kind === 'synth-mr' || o.kind === 'synth-ct') return makeSyntheticDataset(o, o.kind === 'synth-ct' ? 'ct' : 'mr')
  mkdirSync(o.out, { recursive: true })
  const random = createRandom(deriveSeed(o.seed, o.kind))
  const ids = Array.from({ length: o.subjects }, (_, i) => `case${String(i + 1).padStart(4, '0')}`)
  ids.forEach((id, i) => {
    const anatomy = syntheticAnatomy(random)
    let lesion = syntheticLesion(anatomy, random)
    for (let tries = 0; tries < 20 && !lesion.some((v, j) => v >= 0.5 && anatomy.brain[j] >= 0.5); tries++) lesion = syntheticLesion(anatomy, random)
    const rendered = renderLesion(anatomy, lesion, random)
    const base = { dims: anatomy.dims, spacing: [2, 2, 2] as const, affine: anatomy.affine, scaling: null }
    const image: Volume = { ...base, name: id, data: rendered.image, datatype: 'float32', modality: 'MR' }
    writeSimpleCase(o.out, id, image, { ...base, name: `${id}_mask`, data: rendered.mask, datatype: 'uint8', modality: 'unknown' })
    o.log?.(`${id} (${i + 1}/${o.subjects}) lesion ${((countNonZero(rendered.mask) * voxelVolumeMm3(base.spacing)) / 1000).toFixed(1)} mL (procedural)`)
  })
  writeFileSync(join(o.out, 'split.json'), JSON.stringify(splitCases(ids, o.seed), null, 1) + '\n')
  const dataset = {
    kind: o.kind,
    description: DESCRIPTIONS[o.kind],
    dataOrigin: 'synthetic',
    seed: o.seed,
    subjects: o.subjects,
    spacingMm: 2,
    cases: ids.map((id) => ({ id, lesionSource: 'procedural' })),
  }
  writeFileSync(join(o.out, 'dataset.json'), JSON.stringify(dataset, null, 1) + '\n')
}

/** Whole volumes from the training generator, with lesion masks of one role (never the training one by default). */
function makeSyntheticDataset(o: MakeDataOptions, mode: SynthMode): void {
  if (!existsSync(o.masks)) throw new UsageError(`lesion masks folder ${o.masks} not found (--masks)`)
  const role = o['mask-role'] ?? 'validation'
  const target = o.target ?? 'lesion'
  const contrasts = (o.contrasts ?? '').split(',').filter(Boolean) as ContrastName[]
  for (const c of contrasts) if (![...MR_CONTRASTS, 'random'].includes(c)) throw new UsageError(`--contrasts: unknown contrast '${c}' (t1, t2, flair, dwi, adc, random)`)
  const ctRanges = ctHuRangesOf(o, mode)
  const random = createRandom(deriveSeed(o.seed, o.kind))
  const files = random.shuffle(lesionFiles(o.masks, role === 'all' ? undefined : [role]))
  if (files.length === 0) throw new UsageError(`no lesion mask of role '${role}' in ${o.masks}`)
  const heads = loadTissueLabelMaps(o['shared-data'] ?? DEFAULT_SHARED_DATA_DIR, o.heads ?? '')
  const lesions = loadLesionShapes(files.slice(0, Math.min(files.length, 3 * o.subjects)))
  mkdirSync(o.out, { recursive: true })
  const ids = Array.from({ length: o.subjects }, (_, i) => `case${String(i + 1).padStart(4, '0')}`)
  const cases = ids.map((id, i) => {
    const caseRandom = createRandom(deriveSeed(o.seed, o.kind, 'case', i))
    const contrast = mode === 'mr' && contrasts.length > 0 ? contrasts[i % contrasts.length] : undefined
    const healthy = i >= o.subjects - (o['lesion-free'] ?? 0)
    const scan = sampleSyntheticScan({ mode, heads, lesions: healthy ? [] : lesions, contrast, whiteMatterDiseaseShare: o['wm-disease'] ?? 0, ...ctRanges, fieldOfViewShare: o['field-of-view'] ?? 0, chronicFlairShare: o['chronic-flair'] ?? 0, coilShare: o.coil ?? 0, epiArtifactShare: o['epi-artifact'] ?? 0, atrophyShare: o.atrophy ?? 0, lesionAnatomyShare: o['lesion-anatomy'] ?? 0, acquisitionLookShare: o['acquisition-look'] ?? 0 }, caseRandom)
    const drawnInPlaneMm = caseRandom.uniform(1.2, 2) // drawn even when --in-plane-mm fixes it: the case's later draws stay the same
    const rendered = renderVolume(scan, id, o['in-plane-mm'] || drawnInPlaneMm, caseRandom, undefined, target)
    const volume = o['crop-to-field-of-view'] ? cropToFieldOfView(rendered) : rendered
    writeSimpleCase(o.out, id, volume.image, volume.mask)
    const ml = (countNonZero(volume.mask.data) * voxelVolumeMm3(volume.mask.spacing)) / 1000
    o.log?.(`${id} (${i + 1}/${o.subjects}) ${scan.contrast.name} on ${scan.head}, ${volume.image.dims.join('x')} at ${volume.image.spacing.map((v) => v.toFixed(2)).join('x')} mm, ${target} ${ml.toFixed(1)} mL`)
    return { id, head: scan.head, contrast: scan.contrast.name, spacingMm: volume.image.spacing, lesionSources: scan.lesionFiles.map((f) => relative(o.masks, f)), [`${target}Ml`]: Math.round(ml * 10) / 10, ...(scan.coil && { coil: scan.coil }), ...(scan.atrophy && { atrophyMm: Math.round(scan.atrophy.depthMm * 10) / 10 }), ...(scan.lesionAnatomy && { lesionShowsAnatomy: true }), ...(scan.acquisitionLook && { acquisitionLook: true }) }
  })
  writeFileSync(join(o.out, 'split.json'), JSON.stringify({ train: [], validation: [], test: ids }, null, 1) + '\n')
  const description = [DESCRIPTIONS[o.kind], o['in-plane-mm'] && `here every case at ${o['in-plane-mm']} mm in-plane`, ...ctHuRangesDescription(ctRanges)].filter(Boolean).join('; ')
  const dataset = { kind: o.kind, description, dataOrigin: 'synthetic', seed: o.seed, subjects: o.subjects, inPlaneMm: o['in-plane-mm'] ?? 0, lesionFree: o['lesion-free'] ?? 0, whiteMatterDisease: o['wm-disease'] ?? 0, ...ctRanges, fieldOfView: o['field-of-view'] ?? 0, croppedToFieldOfView: o['crop-to-field-of-view'] ?? false, chronicFlair: o['chronic-flair'] ?? 0, coil: o.coil ?? 0, epiArtifact: o['epi-artifact'] ?? 0, atrophy: o.atrophy ?? 0, lesionAnatomy: o['lesion-anatomy'] ?? 0, acquisitionLook: o['acquisition-look'] ?? 0, maskRole: role, target, cases }
  writeFileSync(join(o.out, 'dataset.json'), JSON.stringify(dataset, null, 1) + '\n')
}

const HELP = helpText('make-data', 'Writes a training dataset (images/, masks/, split.json, dataset.json), deterministic for a seed.', OPTIONS)

if (process.argv[1]?.endsWith('makeData.ts')) {
  runCli(HELP, async (argv) => {
    const o = parseOptions(argv, OPTIONS)
    const started = Date.now()
    makeDataset({ ...(o as unknown as MakeDataOptions), log: (line) => console.log(line) })
    console.log(`wrote ${o.subjects} cases to ${o.out} in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  })
}
