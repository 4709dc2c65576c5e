/**
 * Atrophy: the widened sulci and enlarged ventricles of the older brains that strokes happen in (our three
 * heads are young adults' templates). Parenchyma within a random depth of the brain's CSF (sulcal, ventricular or
 * around the brain) becomes CSF: 0.5-2 mm, more in some regions and less in others (a smooth field; 3 mm at most). The label
 * changes before anything is drawn, so CSF takes the scan's CSF intensity and a lesion pasted there is drawn over
 * it as over any CSF; the brain's outline stays where it was.
 */
import { connectedComponents } from '../../volume/connectedComponents'
import { morphologyStep } from '../data/grid3d'
import { GRID_A_DIMS } from '../data/mniGrid'
import type { Random } from '../data/random'
import { LatticeField } from './latticeField'
import { LABEL, type TissueLabelMap } from './tissueLabels'

/** The deepest parenchyma (mm from CSF) that atrophy can reach. */
const MAX_DEPTH_MM = 3

const depths = new WeakMap<TissueLabelMap, Uint8Array>()

/** CSF pieces smaller than this (voxels, mm3) are islands the tissue classes leave in white matter, not ventricles. */
const MIN_CSF_PIECE = 1000

/**
 * Per grid-A voxel of parenchyma that atrophy can take: its 6-neighbour distance (mm, 1..MAX_DEPTH_MM) from CSF;
 * 0 elsewhere and deeper. Sulci widen into grey and white matter from the CSF around the brain (the pieces of CSF
 * that reach it); ventricles widen into white matter only, since the deep grey matter beside them and the grey
 * patches the tissue classes leave in white matter would grow into round blobs that look like lacunes. Small
 * islands of CSF do not grow. Worked out once per head.
 */
export function depthFromCsf(head: TissueLabelMap): Uint8Array {
  let depth = depths.get(head)
  if (!depth) {
    const { labels } = head
    const pieces = connectedComponents(Uint8Array.from(labels, (l) => (l === LABEL.csf || l === LABEL.outerCsf ? 1 : 0)), GRID_A_DIMS)
    const outer = new Set<number>()
    for (let i = 0; i < labels.length; i++) if (labels[i] === LABEL.outerCsf) outer.add(pieces.labels[i])
    const sulcal = Uint8Array.from(pieces.labels, (piece) => (outer.has(piece) ? 1 : 0))
    const ventricular = Uint8Array.from(pieces.labels, (piece) => (piece > 0 && !outer.has(piece) && pieces.sizes[piece] >= MIN_CSF_PIECE ? 1 : 0))
    depth = new Uint8Array(labels.length)
    const parenchyma = (l: number) => l === LABEL.grey || l === LABEL.white
    for (const [seeds, takes] of [[sulcal, parenchyma], [ventricular, (l: number) => l === LABEL.white]] as const) {
      let reached: Uint8Array = seeds
      for (let mm = 1; mm <= MAX_DEPTH_MM; mm++) {
        const next = morphologyStep(reached, GRID_A_DIMS, 'dilate')
        for (let i = 0; i < labels.length; i++) if (next[i] && !reached[i] && takes(labels[i]) && (depth[i] === 0 || depth[i] > mm)) depth[i] = mm
        reached = next
      }
    }
    depths.set(head, depth)
  }
  return depth
}

export interface Atrophy {
  /** How deep (mm) the CSF reaches into parenchyma on average. */
  readonly depthMm: number
  /** The label of grid-A voxel `index` (label `label`, at position qx, qy, qz) in the atrophied brain. */
  labelAt(label: number, index: number, qx: number, qy: number, qz: number): number
}

export function sampleAtrophy(head: TissueLabelMap, random: Random): Atrophy {
  const depth = depthFromCsf(head)
  const depthMm = random.uniform(0.5, 2)
  const field = new LatticeField(random.uniform(20, 40), random) // N(0, 1): lobes that shrink more or less
  return {
    depthMm,
    labelAt(label, index, qx, qy, qz) {
      const d = depth[index]
      return d > 0 && d <= depthMm * (1 + 0.3 * field.at(qx, qy, qz)) ? LABEL.csf : label
    },
  }
}
