/**
 * transplant-t1 / transplant-ct: real anatomy (the MNI T1 templates) with real stroke lesion shapes (the
 * shared MNI lesion masks), rendered by renderLesion. Everything is brought to one grid: grid A of the masks'
 * MANIFEST (181x217x181, 1 mm, x = i - 90, y = j - 125, z = k - 71) through world coordinates (nearest voxel;
 * the grids differ by whole millimetres), then 2x2x2 means give the 2 mm training grid (90x108x90).
 */
import { join } from 'node:path'
import { applyAffine, invertAffine, type Affine, type Vec3 } from '../../volume/affine'
import { countNonZero, type Volume } from '../../volume/volume'
import { listFilesRecursively, NIFTI_FILE, readNiftiFile } from '../io/niftiFiles'
import { ctFromBrain, type Anatomy } from './anatomy'
import { downsample2, gridIndex, sampleTrilinear, smoothField, type Grid } from './grid3d'
import type { Random } from './random'

export const GRID_A_DIMS: Vec3 = [181, 217, 181]
export const GRID_A_AFFINE: Affine = [[1, 0, 0, -90], [0, 1, 0, -125], [0, 0, 1, -71], [0, 0, 0, 1]]
/** The 2 mm grid: voxel (i, j, k) averages grid-A voxels 2i..2i+1 (etc.), centred at 2i + 0.5. */
export const TRAINING_GRID_AFFINE: Affine = [[2, 0, 0, -89.5], [0, 2, 0, -124.5], [0, 0, 2, -70.5], [0, 0, 0, 1]]
/** Source masks above this size (mL) are the MANIFEST's outliers that spill out of the brain. */
const MAX_LESION_ML = 400

/** Any volume in MNI world space, sampled on grid A by nearest voxel (0 outside). */
export function onGridA(volume: Volume): Float32Array {
  const toSource = invertAffine(volume.affine)
  const out = new Float32Array(GRID_A_DIMS[0] * GRID_A_DIMS[1] * GRID_A_DIMS[2])
  const [sx, sy, sz] = volume.dims
  for (let k = 0; k < GRID_A_DIMS[2]; k++) {
    for (let j = 0; j < GRID_A_DIMS[1]; j++) {
      for (let i = 0; i < GRID_A_DIMS[0]; i++) {
        const [u, v, w] = applyAffine(toSource, applyAffine(GRID_A_AFFINE, [i, j, k])).map(Math.round)
        if (u < 0 || v < 0 || w < 0 || u >= sx || v >= sy || w >= sz) continue
        out[gridIndex(GRID_A_DIMS, i, j, k)] = volume.data[u + sx * (v + sy * w)]
      }
    }
  }
  return out
}

/** A template as an anatomy on the 2 mm grid; the brain is where the brain-extracted template is non-zero. */
export function templateAnatomy(templateA: Float32Array, brainA: Float32Array): Anatomy {
  const t1Grid = downsample2({ dims: GRID_A_DIMS, values: templateA })
  const brain = downsample2({ dims: GRID_A_DIMS, values: brainA.map((v) => (v > 0 ? 1 : 0)) })
  const inBrain = t1Grid.values.filter((_, i) => brain.values[i] >= 0.5).sort()
  const whiteMatter = inBrain[Math.floor(0.9 * inBrain.length)] || 1
  const t1 = t1Grid.values.map((v) => v / whiteMatter)
  return { dims: t1Grid.dims, affine: TRAINING_GRID_AFFINE, t1, brain: brain.values, hu: ctFromBrain(t1, brain.values, t1Grid.dims, 1000) }
}

export interface LesionSource {
  readonly file: string
  readonly voxels: Float32Array // on grid A, 0/1
}

/** The .nii / .nii.gz files of a masks folder and its subfolders, sorted (so a seed picks the same ones). */
export function listMaskFiles(dir: string): string[] {
  return listFilesRecursively(dir).filter((f) => NIFTI_FILE.test(f))
}

/** Loads masks in the random order given until `count` usable ones (non-empty on grid A, under 400 mL) are found. */
export function loadLesionSources(files: readonly string[], count: number): LesionSource[] {
  const sources: LesionSource[] = []
  for (const file of files) {
    if (sources.length === count) break
    const voxels = onGridA(readNiftiFile(file)).map((v) => (v > 0 ? 1 : 0))
    const n = countNonZero(voxels)
    if (n > 0 && n <= MAX_LESION_ML * 1000) sources.push({ file, voxels })
  }
  if (sources.length < count) throw new Error(`only ${sources.length} usable lesion masks among ${files.length} files; ${count} needed`)
  return sources
}

/**
 * A source mask mirrored (left-right, optional) and deformed at random: scaling 0.8-1.25 per axis, rotation
 * up to 12 degrees, shift up to 6 mm and a smooth displacement of up to ~3 mm. Lesion fraction per voxel of
 * the 2 mm grid.
 */
export function deformedLesion(source: LesionSource, random: Random): Float32Array {
  const mirror = random.chance(0.5)
  const mirrored = mirror ? mirrorX(source.voxels) : source.voxels
  const fraction = downsample2({ dims: GRID_A_DIMS, values: mirrored })
  return randomlyDeformed(fraction, random)
}

function mirrorX(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length)
  const [nx] = GRID_A_DIMS
  for (let row = 0; row < values.length / nx; row++) {
    for (let i = 0; i < nx; i++) out[row * nx + i] = values[row * nx + (nx - 1 - i)] // x = i - 90 -> -x
  }
  return out
}

export function randomlyDeformed(fraction: Grid, random: Random): Float32Array {
  const { dims } = fraction
  let [cx, cy, cz, total] = [0, 0, 0, 0]
  fraction.values.forEach((f, i) => {
    if (f <= 0) return
    const x = i % dims[0]
    const y = Math.floor(i / dims[0]) % dims[1]
    const z = Math.floor(i / (dims[0] * dims[1]))
    cx += f * x
    cy += f * y
    cz += f * z
    total += f
  })
  if (total === 0) return fraction.values
  const centre = [cx / total, cy / total, cz / total]
  const scale = [0, 1, 2].map(() => random.uniform(0.8, 1.25))
  const angle = (random.uniform(-12, 12) * Math.PI) / 180
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)]
  const shift = [0, 1, 2].map(() => random.uniform(-3, 3)) // voxels of 2 mm
  const warp = [0, 1, 2].map(() => smoothField(dims, 4, random).values)
  const warpAmplitude = random.uniform(0, 1.5)
  const out = new Float32Array(fraction.values.length)
  for (let z = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++) {
        const i = gridIndex(dims, x, y, z)
        // Inverse map: output voxel -> source position (rotation in the axial plane, then scaling).
        const [dx, dy, dz] = [x - centre[0] - shift[0], y - centre[1] - shift[1], z - centre[2] - shift[2]]
        const rx = cos * dx + sin * dy
        const ry = -sin * dx + cos * dy
        out[i] = sampleTrilinear(
          fraction,
          centre[0] + rx / scale[0] + warpAmplitude * warp[0][i],
          centre[1] + ry / scale[1] + warpAmplitude * warp[1][i],
          centre[2] + dz / scale[2] + warpAmplitude * warp[2][i],
        )
      }
    }
  }
  return out
}

export function loadTemplateAnatomies(templatesDir: string, templateFiles: readonly string[]): Anatomy[] {
  const volumes = templateFiles.map((f) => onGridA(readNiftiFile(join(templatesDir, f))))
  const brain = volumes[0] // the first template is brain-extracted (betsct1): its non-zero voxels are the brain
  return volumes.map((t) => templateAnatomy(t, brain))
}

