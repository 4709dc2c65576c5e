/**
 * A receive coil's sensitivity over the head (MR only), far smoother and stronger than the bias field's local
 * variation: birdcage head coils lose signal towards their ends (the vertex and the skull base), phased-array
 * coils brighten the head's periphery against its centre, and a head placed off the coil's centre tilts it all.
 * Modelled as a log-gain over scanner space: a tilt and a curvature along z and a radial term across, each drawn
 * per scan. Uncorrected, this is what clinical scans show: a vertex darker or brighter than the same tissue lower
 * down, which a model that never saw it takes for a lesion.
 */
import type { Random } from '../data/random'

/** Distance from the head's centre (mm) at which each term reaches its full log-gain. */
const REACH_MM = 80

export interface CoilSensitivity {
  /** Log-gain per REACH_MM upwards (positive: brighter towards the vertex). */
  readonly tilt: number
  /** Log-gain at REACH_MM above or below the centre, on top of the tilt (negative: the coil's ends lose signal). */
  readonly ends: number
  /** Log-gain at REACH_MM from the centre across (positive: a brighter periphery). */
  readonly periphery: number
}

export function sampleCoilSensitivity(random: Random): CoilSensitivity {
  return { tilt: random.uniform(-0.25, 0.25), ends: random.uniform(-0.6, 0), periphery: random.uniform(-0.15, 0.3) }
}

/** The log-gain at (x, y, z) mm from the head's centre in scanner space. */
export function coilLogGain(coil: CoilSensitivity, x: number, y: number, z: number): number {
  const [up, across] = [z / REACH_MM, (x * x + y * y) / (REACH_MM * REACH_MM)]
  return coil.tilt * up + coil.ends * up * up + coil.periphery * across
}
