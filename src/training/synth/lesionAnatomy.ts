/**
 * A lesion through which the anatomy it replaces still shows (MR). A flat lesion, one intensity that also
 * fills the sulci and cortex it covers, is not how strokes look: oedema and gliosis change white matter most,
 * the cortical ribbon and the CSF of the sulci inside the territory less, and the change is patchy, so a real
 * lesion carries the gyral pattern through it, brightened or darkened (acute DWI along the cortical ribbon,
 * chronic T2 and FLAIR with residual strands of cortex). A model trained only on flat lesions learns that a
 * lesion is a homogeneous patch and passes over these.
 *
 * Each tissue moves from its own intensity towards the lesion's by the scan's lesion strength times a
 * per-tissue share (white matter 1, grey matter 0.4-1, CSF 0-0.6) times a smooth patchy field (0.6-0.95 at its
 * lowest). The mask is the
 * lesion's whole outline, as an expert draws it, sulci included.
 */
import type { Random } from '../data/random'
import { LatticeField } from './latticeField'
import { LABEL, TISSUE_LABEL_COUNT } from './tissueLabels'

export interface LesionAnatomy {
  /** Share (0..1) of the scan's lesion strength that the lesion has on `label` at grid-A position (voxels). */
  strengthAt(label: number, x: number, y: number, z: number): number
}

export function sampleLesionAnatomy(random: Random): LesionAnatomy {
  const labelShare = new Float32Array(TISSUE_LABEL_COUNT).fill(1)
  labelShare[LABEL.grey] = random.uniform(0.4, 1)
  labelShare[LABEL.csf] = random.uniform(0, 0.6)
  const patches = new LatticeField(random.uniform(3, 6), random)
  // The share where the patchy field is lowest: white matter still changes by most of the lesion strength, as in
  // real lesions (a first version, 0.3-0.8, drew lesions too faint to see and taught the model to under-call: MR run 57).
  const weakest = random.uniform(0.6, 0.95)
  return {
    strengthAt(label, x, y, z) {
      const patch = Math.min(1, Math.max(0, 0.5 + 0.4 * patches.at(x, y, z))) // N(0, 1) -> mostly 0..1
      return labelShare[label] * (weakest + (1 - weakest) * patch)
    },
  }
}
