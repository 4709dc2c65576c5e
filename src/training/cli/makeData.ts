/**
 * npm run make-data -- --out DIR --kind synthetic-t1|synthetic-ct|transplant-t1|transplant-ct --subjects N --seed S
 * Writes a dataset in the simple layout (images/, masks/, split.json, dataset.json), the same bytes for the
 * same options.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { countNonZero, voxelVolumeMm3, type Volume } from '../../volume/volume'
import type { Anatomy } from '../data/anatomy'
import { splitCases, writeSimpleCase } from '../data/datasetLayout'
import { createRandom, deriveSeed } from '../data/random'
import { renderLesion, type Contrast } from '../data/renderLesion'
import { DEFAULT_LESION_MASKS_DIR, DEFAULT_TEMPLATES_DIR, TEMPLATE_FILES } from '../data/sharedPaths'
import { syntheticAnatomy, syntheticLesion } from '../data/syntheticHead'
import { deformedLesion, listMaskFiles, loadLesionSources, loadTemplateAnatomies } from '../data/transplant'
import { helpText, parseOptions, runCli, UsageError, type OptionTable } from './args'

export const DATASET_KINDS = ['synthetic-t1', 'synthetic-ct', 'transplant-t1', 'transplant-ct'] as const
export type DatasetKind = (typeof DATASET_KINDS)[number]

const OPTIONS: OptionTable = {
  out: { type: 'string', required: true, help: 'folder to write (created; must be empty or absent)' },
  kind: { type: 'string', choices: DATASET_KINDS, default: 'transplant-t1', help: 'procedural heads, or real MNI anatomy with real lesion shapes' },
  subjects: { type: 'integer', default: 40, help: 'number of cases' },
  seed: { type: 'integer', default: 1, help: 'the same seed writes the same dataset' },
  masks: { type: 'string', default: DEFAULT_LESION_MASKS_DIR, help: 'transplant-*: folder of MNI lesion masks (searched recursively)' },
  templates: { type: 'string', default: DEFAULT_TEMPLATES_DIR, help: `transplant-*: folder holding ${TEMPLATE_FILES.join(' and ')}` },
}

const DESCRIPTIONS: Record<DatasetKind, string> = {
  'synthetic-t1': 'procedural heads (T1 contrast) with procedural lesions, 2 mm',
  'synthetic-ct': 'procedural heads (CT, HU) with procedural acute-infarct lesions 2-10 HU darker, 2 mm',
  'transplant-t1':
    'MNI T1 templates (betsct1, ICBM152 2009) with real stroke lesion masks (LESYMAP, SOOP, ARC) rendered CSF-like, deformed, mirrored, with bias field and noise, 2 mm',
  'transplant-ct':
    'MNI T1 templates mapped to HU (brain) with synthetic skull, real stroke lesion masks rendered 2-10 HU darker, deformed, mirrored, with noise, 2 mm',
}

export interface MakeDataOptions {
  readonly out: string
  readonly kind: DatasetKind
  readonly subjects: number
  readonly seed: number
  readonly masks: string
  readonly templates: string
  readonly log?: (line: string) => void
}

export function makeDataset(o: MakeDataOptions): void {
  if (o.subjects < 1) throw new UsageError('--subjects must be at least 1')
  if (existsSync(o.out) && readdirSync(o.out).length > 0) throw new UsageError(`${o.out} is not empty; choose a new folder`)
  mkdirSync(o.out, { recursive: true })
  const contrast: Contrast = o.kind.endsWith('-ct') ? 'ct' : 't1'
  const random = createRandom(deriveSeed(o.seed, o.kind))
  const ids = Array.from({ length: o.subjects }, (_, i) => `case${String(i + 1).padStart(4, '0')}`)
  const sources: string[] = []
  let nextCase: (i: number) => { anatomy: Anatomy; lesion: Float32Array; source: string }
  if (o.kind.startsWith('transplant')) {
    for (const f of TEMPLATE_FILES) if (!existsSync(join(o.templates, f))) throw new UsageError(`template ${join(o.templates, f)} not found (--templates)`)
    if (!existsSync(o.masks)) throw new UsageError(`lesion masks folder ${o.masks} not found (--masks)`)
    const anatomies = loadTemplateAnatomies(o.templates, TEMPLATE_FILES)
    const lesionSources = loadLesionSources(random.shuffle(listMaskFiles(o.masks)), o.subjects) // one mask per case
    nextCase = (i) => ({ anatomy: random.pick(anatomies), lesion: deformedLesion(lesionSources[i], random), source: lesionSources[i].file })
  } else {
    nextCase = () => {
      const anatomy = syntheticAnatomy(random)
      let lesion = syntheticLesion(anatomy, random)
      for (let tries = 0; tries < 20 && !lesion.some((v, j) => v >= 0.5 && anatomy.brain[j] >= 0.5); tries++) lesion = syntheticLesion(anatomy, random)
      return { anatomy, lesion, source: 'procedural' }
    }
  }
  ids.forEach((id, i) => {
    const { anatomy, lesion, source } = nextCase(i)
    const rendered = renderLesion(anatomy, lesion, contrast, random)
    const base = { dims: anatomy.dims, spacing: [2, 2, 2] as const, affine: anatomy.affine, scaling: null }
    const image: Volume =
      contrast === 'ct'
        ? { ...base, name: id, data: Int16Array.from(rendered.image), datatype: 'int16', modality: 'CT' }
        : { ...base, name: id, data: rendered.image, datatype: 'float32', modality: 'MR' }
    writeSimpleCase(o.out, id, image, { ...base, name: `${id}_mask`, data: rendered.mask, datatype: 'uint8', modality: 'unknown' })
    sources.push(source === 'procedural' ? source : relative(o.masks, source))
    o.log?.(`${id} (${i + 1}/${o.subjects}) lesion ${((countNonZero(rendered.mask) * voxelVolumeMm3(base.spacing)) / 1000).toFixed(1)} mL from ${source}`)
  })
  writeFileSync(join(o.out, 'split.json'), JSON.stringify(splitCases(ids, o.seed), null, 1) + '\n')
  const dataset = {
    kind: o.kind,
    description: DESCRIPTIONS[o.kind],
    dataOrigin: o.kind.startsWith('transplant') ? 'semi-synthetic' : 'synthetic',
    seed: o.seed,
    subjects: o.subjects,
    spacingMm: 2,
    cases: ids.map((id, i) => ({ id, lesionSource: sources[i] })),
  }
  writeFileSync(join(o.out, 'dataset.json'), JSON.stringify(dataset, null, 1) + '\n')
}

const HELP = helpText('make-data', 'Writes a training dataset (images/, masks/, split.json, dataset.json), deterministic for a seed.', OPTIONS)

if (process.argv[1]?.endsWith('makeData.ts')) {
  runCli(HELP, async (argv) => {
    const o = parseOptions(argv, OPTIONS)
    if (o._.length > 0) throw new UsageError(`unexpected argument '${o._[0]}' (see --help)`)
    const started = Date.now()
    makeDataset({ ...(o as unknown as MakeDataOptions), log: (line) => console.log(line) })
    console.log(`wrote ${o.subjects} cases to ${o.out} in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  })
}
