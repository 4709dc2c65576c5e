/**
 * A lesion through which the anatomy it replaces still shows (MR). A flat lesion, one intensity that also
 * fills the sulci and cortex it covers, is not how strokes look: oedema and gliosis change white matter most,
 * the cortical ribbon and the CSF of the sulci inside the territory less, and the change is patchy, so a real
 * lesion carries the gyral pattern through it, brightened or darkened (acute DWI along the cortical ribbon,
 * chronic T2 and FLAIR with residual strands of cortex). A model trained only on flat lesions learns that a
 * lesion is a homogeneous patch and passes over these.
 *
 * Each tissue moves from its own intensity towards the lesion's by the scan's lesion strength times a
 * per-tissue share (white matter 1, grey matter 0.4-1, CSF 0-0.6) times a smooth patchy field that runs from
 * 0.3-0.9 where it is lowest (tissue that has barely changed) to 1-1.3 where it is highest (past the lesion's
 * mean: cavitation and dense gliosis, CSF-bright on T2). Real lesions are that uneven: the clinical T2's lesion
 * spans from white matter's level to near CSF's (its 10th-90th centiles at 12 % and 89 % of the way), and the
 * bundled model finds it once that spread is halved. The mask is the lesion's whole outline, as an expert
 * draws it, sulci included.
 */
import type { Random } from '../data/random'
import { LatticeField } from './latticeField'
import { LABEL, TISSUE_LABEL_COUNT } from './tissueLabels'

/** The most a tissue moves, as a share of the lesion strength: 1.3 moves it 30 % past the lesion's mean intensity. */
export const MAX_LESION_OVERSHOOT = 1.3

export interface LesionAnatomy {
  /** Share (0..MAX_LESION_OVERSHOOT) of the scan's lesion strength that the lesion has on `label` at grid-A position (voxels). */
  strengthAt(label: number, x: number, y: number, z: number): number
}

export function sampleLesionAnatomy(random: Random): LesionAnatomy {
  const labelShare = new Float32Array(TISSUE_LABEL_COUNT).fill(1)
  labelShare[LABEL.grey] = random.uniform(0.4, 1)
  labelShare[LABEL.csf] = random.uniform(0, 0.6)
  const patches = new LatticeField(random.uniform(3, 6), random)
  // The shares where the patchy field is lowest and highest. Weak everywhere (a first version: 0.3-0.8, never above 1)
  // drew lesions too faint to see and taught the model to under-call (MR run 57); uneven keeps the mean near 0.9.
  const weakest = random.uniform(0.3, 0.9)
  const strongest = random.uniform(1, MAX_LESION_OVERSHOOT)
  return {
    strengthAt(label, x, y, z) {
      const patch = Math.min(1, Math.max(0, 0.5 + 0.4 * patches.at(x, y, z))) // N(0, 1) -> mostly 0..1
      return labelShare[label] * (weakest + (strongest - weakest) * patch)
    },
  }
}
