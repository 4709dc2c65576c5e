/**
 * A head on the 2 mm training grid: T1 (arbitrary units, white matter about 1, air 0) and its brain. Lesions
 * are drawn into it by renderLesion.
 */
import type { Affine, Vec3 } from '../../volume/affine'

export interface Anatomy {
  readonly dims: Vec3
  /** Voxel -> world (mm), RAS. */
  readonly affine: Affine
  readonly t1: Float32Array
  /** Brain (parenchyma) fraction per voxel, 0..1: lesions are confined to it. */
  readonly brain: Float32Array
}
