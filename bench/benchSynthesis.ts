/**
 * npm run bench:synth — how long the generator takes to make a training batch (train --synth: 16 slices of
 * 64x64 at 2 mm, 30 % through a lesion, half the MR scans with white-matter disease), appended to BENCHMARKS.md.
 * The pool of scans turns over every fourth batch, so the mean over whole turnovers is what a run pays; the
 * first turnover (the heads' label maps and periventricular bands are worked out then) is left out.
 */
import * as tf from '@tensorflow/tfjs'
import { MR_NORMALIZATION, CT_NORMALIZATION } from '../src/pipeline/intensityNormalization'
import { createRandom, deriveSeed } from '../src/training/data/random'
import { DEFAULT_LESION_MASKS_DIR, DEFAULT_SHARED_DATA_DIR } from '../src/training/data/sharedPaths'
import { lesionFiles, loadLesionShapes } from '../src/training/synth/lesionBank'
import { createSliceBatches } from '../src/training/synth/syntheticData'
import { loadTissueLabelMaps } from '../src/training/synth/tissueLabels'
import { appendBenchSection, machineName } from './benchReport'

const [BATCH, SIZE, TURNOVERS] = [16, 64, Number(process.env.BENCH_RUNS ?? 8)]

async function main(): Promise<void> {
  await tf.setBackend('cpu')
  const heads = loadTissueLabelMaps(DEFAULT_SHARED_DATA_DIR)
  const lesions = loadLesionShapes(createRandom(deriveSeed(1, 'masks')).shuffle(lesionFiles(DEFAULT_LESION_MASKS_DIR, ['train'])).slice(0, 100))
  const rows = (['mr', 'ct'] as const).map((mode) => {
    const normalization = mode === 'mr' ? MR_NORMALIZATION : CT_NORMALIZATION
    const source = createSliceBatches({ mode, heads, lesions, whiteMatterDiseaseShare: 0.5, seed: 1, normalization, size: SIZE, spacingMm: 2, lesionFraction: 0.3 })
    const times: number[] = []
    for (let step = 0; step < 4 * (TURNOVERS + 1); step++) {
      const start = performance.now()
      const { images, masks } = source.batch(step, BATCH)
      times.push(performance.now() - start)
      tf.dispose([images, masks])
    }
    const steady = times.slice(4)
    const mean = steady.reduce((a, b) => a + b, 0) / steady.length
    return { mode, 'batch ms (mean over whole turnovers)': mean.toFixed(0), 'batch ms (median)': steady.sort((a, b) => a - b)[steady.length >> 1].toFixed(0), 'slices / s': ((BATCH * 1000) / mean).toFixed(0) }
  })
  appendBenchSection('bench:synth', `Machine: ${machineName()}, Node ${process.version}. Training batches of ${BATCH} slices of ${SIZE}x${SIZE} at 2 mm from the generator, ${TURNOVERS} turnovers of the scan pool after the first.`, rows)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
