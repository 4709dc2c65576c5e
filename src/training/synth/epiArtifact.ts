/**
 * Echo-planar imaging's susceptibility artefacts (DWI and ADC only). Where air and bone meet the brain at the skull
 * base (the frontal sinuses above the orbits, the mastoids beside the temporal lobes), the field's inhomogeneity
 * piles signal up into bright patches or drops it out, stretched along the phase-encoding direction (front to
 * back on axial DWI); on the DWI trace a pile-up is as bright as an acute infarct. On ADC only the bright failures of
 * the fit are drawn: an infarct is dark there, and dark patches taught a model to pass over dark lesions (session 25,
 * MODELS.md). Drawn unlabelled, so that a model learns that a bright patch hugging the skull base is not a stroke by
 * itself.
 *
 * Where: 1-3 spots, each centred on a brain voxel within EDGE_MM of the brain's edge in the lowest 45 % of the
 * brain (worked out once per head). What: a log-gain a * exp(-r^2 / 2) with r the distance in units of sigma
 * (4-10 mm across, 1.5-2.5x that front to back); a in 0.5..1.5 (pile-up) or, in a third of the spots on DWI,
 * -1.2..-0.4 (drop-out).
 */
import { dilate } from '../data/grid3d'
import { GRID_A_DIMS } from '../data/mniGrid'
import type { Random } from '../data/random'
import type { ScanContrast } from './contrast'
import { isBrainLabel, type TissueLabelMap } from './tissueLabels'

const EDGE_MM = 6
const LOWER_SHARE = 0.45

interface Spot {
  readonly centre: readonly [number, number, number]
  readonly sigmaMm: number
  readonly stretch: number
  readonly logGain: number
}

export interface EpiArtifact {
  readonly spots: readonly Spot[]
  /** The log-gain at grid-A position (qx, qy, qz). */
  logGainAt(qx: number, qy: number, qz: number): number
}

const spotSites = new WeakMap<TissueLabelMap, Uint32Array>()

/** Grid-A indices of the brain voxels near the brain's edge in its lower part, worked out once per head. */
export function skullBaseSites(head: TissueLabelMap): Uint32Array {
  let sites = spotSites.get(head)
  if (!sites) {
    const [nx, ny] = GRID_A_DIMS
    const brain = Uint8Array.from(head.labels, (l) => (isBrainLabel(l) ? 1 : 0))
    const nearEdge = dilate(brain.map((b) => 1 - b), GRID_A_DIMS, EDGE_MM)
    const sliceOf = (i: number) => Math.floor(i / (nx * ny))
    // Voxels run slice by slice, so the brain's first and last voxels lie on its lowest and highest slices.
    const [zMin, zMax] = [sliceOf(brain.indexOf(1)), sliceOf(brain.lastIndexOf(1))]
    const top = zMin + LOWER_SHARE * (zMax - zMin)
    const found: number[] = []
    brain.forEach((b, i) => {
      if (b && nearEdge[i] && sliceOf(i) <= top) found.push(i)
    })
    sites = Uint32Array.from(found)
    spotSites.set(head, sites)
  }
  return sites
}

export function sampleEpiArtifact(head: TissueLabelMap, contrast: ScanContrast, random: Random): EpiArtifact {
  const sites = skullBaseSites(head)
  const [nx, ny] = GRID_A_DIMS
  const spots = Array.from({ length: random.integer(1, 4) }, (): Spot => {
    const i = sites[random.integer(0, sites.length)]
    const dropOut = contrast.name !== 'adc' && random.chance(1 / 3)
    return {
      centre: [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))],
      sigmaMm: random.uniform(4, 10),
      stretch: random.uniform(1.5, 2.5),
      logGain: dropOut ? -random.uniform(0.4, 1.2) : random.uniform(0.5, 1.5),
    }
  })
  return {
    spots,
    logGainAt(qx, qy, qz) {
      let sum = 0
      for (const { centre, sigmaMm, stretch, logGain } of spots) {
        const [dx, dy, dz] = [(qx - centre[0]) / sigmaMm, (qy - centre[1]) / (sigmaMm * stretch), (qz - centre[2]) / sigmaMm]
        const r2 = dx * dx + dy * dy + dz * dz
        if (r2 < 16) sum += logGain * Math.exp(-r2 / 2)
      }
      return sum
    },
  }
}
