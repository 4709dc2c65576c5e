/**
 * One synthetic scan, drawn from a seed: a real head's tissue labels (tissueLabels.ts) under a random affine
 * and smooth elastic deformation, one to three real lesion shapes (lesionBank.ts) pasted into its brain
 * (mirrored, rotated, scaled, shifted; soft border; optional penumbra fade), optionally atrophy (widened sulci and
 * ventricles, atrophy.ts) and unlabelled white-matter disease around the ventricles (whiteMatterDisease.ts), on
 * FLAIR optionally as chronic infarcts (a cavity in a bright rim, chronicInfarct.ts), on MR optionally with the
 * anatomy showing through the lesion (lesionAnatomy.ts), every label given an intensity and texture (contrast.ts), then the scanner:
 * bias field (optionally with a receive coil's sensitivity, coilSensitivity.ts, and on DWI and ADC echo-planar
 * susceptibility artefacts at the skull base, epiArtifact.ts), slice thickness (partial volume through the
 * slice), in-plane resolution (blur), gamma, noise, skull stripping.
 *
 * The scan is a function of world position, so a training slice and a whole validation volume come from the
 * same code: `renderPlane` draws one axial slice of any thickness on any in-plane grid, and a volume is its
 * slices (`renderVolume`). The mask of a slice is where the lesion covers at least half of it.
 */
import type { Midline } from '../../pipeline/midline'
import type { Vec3 } from '../../volume/affine'
import { gaussianBlur } from '../data/grid3d'
import { LatticeField } from './latticeField'
import { apply3, degrees, diagonal3, multiply3, rotation3, transpose3 } from './matrix3'
import { CHRONIC_MIN_STRENGTH, lesionDepthField, sampleChronicInfarct } from './chronicInfarct'
import { coilLogGain, sampleCoilSensitivity, type CoilSensitivity } from './coilSensitivity'
import { sampleEpiArtifact, type EpiArtifact } from './epiArtifact'
import { sampleAtrophy, type Atrophy } from './atrophy'
import { sampleLesionAnatomy, type LesionAnatomy } from './lesionAnatomy'
import { insideFieldOfView, sampleFieldOfView, type FieldOfView } from './fieldOfView'
import { sampleWhiteMatterDisease } from './whiteMatterDisease'
import { GRID_A_DIMS, GRID_A_ORIGIN_INDEX } from '../data/mniGrid'
import type { Random } from '../data/random'
import { LESION, sampleContrast, type ContrastName, type HuRange, type MrContrast, type ScanContrast, type SynthMode } from './contrast'
import { withAcquisitionLook } from './acquisitionLook'
import type { LesionShape } from './lesionBank'
import { DEFAULT_LESION_SHIFT_MM, lesionFraction, mirrorX, placeLesion } from './placedLesion'
import { isBrainLabel, LABEL, type TissueLabelMap } from './tissueLabels'

/** Where the heads sit in world space (mm): the centre of the box the synthetic scans cover. */
export const HEAD_CENTRE_MM: Vec3 = [0, -18, 8]

/**
 * An axial plane of the scan: world z (mm) of its centre, an in-plane grid (RAS: x across, y down the rows).
 * Pixel (row r, column c) lies at world (x0, y0) + spacingMm (c u + r v), with u and v the grid's `axes`
 * [ux, uy, vx, vy] (default [1, 0, 0, 1]: columns along x, rows along y; a reflection draws a mirrored grid).
 */
export interface AxialPlane {
  readonly z: number
  readonly x0: number
  readonly y0: number
  readonly spacingMm: number
  readonly columns: number
  readonly rows: number
  readonly axes?: readonly [number, number, number, number]
}

export interface RenderedPlane {
  /** [rows, columns]: MR in scanner units, CT in HU. */
  readonly image: Float32Array
  /** [rows, columns], 0/1: the lesion covers at least half of the pixel's depth. */
  readonly mask: Uint8Array
  /** [rows, columns], 0/1: brain (parenchyma, its CSF, the lesion) covers at least half of the pixel's depth (what skull stripping keeps). */
  readonly brain: Uint8Array
}

export interface SyntheticScanOptions {
  readonly mode: SynthMode
  readonly heads: readonly TissueLabelMap[]
  /** Shapes to draw lesions from; empty: a scan without lesion. */
  readonly lesions: readonly LesionShape[]
  /** Force a named contrast (MR), e.g. for a benchmark per contrast. */
  readonly contrast?: ContrastName
  /** MR: share of scans with every tissue mean drawn at random (default DEFAULT_RANDOM_CONTRAST_SHARE). */
  readonly randomContrastShare?: number
  /** MR: the named contrasts drawn (default all of MR_CONTRASTS, equally often). */
  readonly namedContrasts?: readonly MrContrast[]
  /** Share of scans with white-matter disease drawn in, unlabelled (whiteMatterDisease.ts; default 0). */
  readonly whiteMatterDiseaseShare?: number
  /** CT: how far below white matter its disease is drawn (default CT_WHITE_MATTER_DISEASE_HU, whiteMatterDisease.ts). */
  readonly ctWhiteMatterDiseaseHu?: HuRange
  /** CT: how far below the tissue it replaces an infarct is drawn (default CT_LESION_DROP_HU, contrast.ts). */
  readonly ctLesionDropHu?: HuRange
  /**
   * How far (mm, each axis, at most) each lesion moves from its mask's place (default DEFAULT_LESION_SHIFT_MM).
   * Far moves put strokes where the masks' cohorts rarely had them, so that a model learns what a lesion looks
   * like rather than where the masks' lesions were; what lands outside the brain is cut off.
   */
  readonly lesionShiftMm?: number
  /**
   * Share of scans acquired with a tight field of view (default 0): a box around the head, sometimes cutting
   * scalp, skull or the top of the head, outside which there is nothing (air, as segmentation pads slices).
   * Clinical acquisitions and bounding-box exports (SPM's) are cut so; whole-head renderings alone taught the
   * model to look for lesions only where it saw air around the head.
   */
  readonly fieldOfViewShare?: number
  /** Share of FLAIR scans whose lesions are chronic infarcts: a CSF-dark cavity in a bright rim (chronicInfarct.ts; default 0). */
  readonly chronicFlairShare?: number
  /** MR: share of scans with a receive coil's uneven sensitivity (coilSensitivity.ts; default 0). */
  readonly coilShare?: number
  /** Share of DWI and ADC scans with echo-planar susceptibility artefacts at the skull base (epiArtifact.ts; default 0). */
  readonly epiArtifactShare?: number
  /** Share of scans with atrophy: widened sulci and enlarged ventricles (atrophy.ts; default 0). */
  readonly atrophyShare?: number
  /** MR: share of scans whose lesions let the anatomy they replace show through (lesionAnatomy.ts; default 0). */
  readonly lesionAnatomyShare?: number
  /** MR: share of T2, DWI and ADC scans drawn with their real acquisition's look (acquisitionLook.ts; default 0). */
  readonly acquisitionLookShare?: number
}

export interface SyntheticScan {
  readonly head: string
  readonly contrast: ScanContrast
  /** T2, DWI, ADC: whether the contrast was drawn with its real acquisition's look (acquisitionLook.ts). */
  readonly acquisitionLook: boolean
  readonly lesionFiles: readonly string[]
  /** MR: the receive coil's sensitivity, when the scan has one. */
  readonly coil: CoilSensitivity | null
  /** DWI and ADC: the susceptibility artefacts, when the scan has them. */
  readonly epiArtifact: EpiArtifact | null
  /** The tight field of view it was acquired in (world mm), when it has one. */
  readonly fieldOfView: FieldOfView | null
  /** The atrophy drawn, when the scan has it. */
  readonly atrophy: Atrophy | null
  /** MR: how the lesion lets the anatomy show through, when it does. */
  readonly lesionAnatomy: LesionAnatomy | null
  renderPlane(plane: AxialPlane, random: Random): RenderedPlane
  /** The head's midline (world mm) in the axial plane at world z: where its mid-sagittal plane cuts it (elastic part left out). */
  midlineAt(z: number): Midline
  /** The world position (mm) of a random lesion voxel (null without lesion), for slices that show one. */
  lesionPoint(random: Random): Vec3 | null
}

export function sampleSyntheticScan(o: SyntheticScanOptions, random: Random): SyntheticScan {
  const preset = sampleContrast(o.mode, random, o.contrast, o.randomContrastShare, o.namedContrasts, o.ctLesionDropHu)
  if (o.heads.length === 0) throw new Error('no head to draw a synthetic scan from')
  const head = random.pick(o.heads)
  const count = o.lesions.length === 0 ? 0 : random.chance(0.7) ? 1 : random.chance(0.8) ? 2 : 3
  const lesions = Array.from({ length: count }, () => placeLesion(random.pick(o.lesions), random, o.lesionShiftMm ?? DEFAULT_LESION_SHIFT_MM))
  // Output world -> head grid A: q = M (p - centre) + centre + t + GRID_A_ORIGIN_INDEX, then elastic.
  const rotation = rotation3(degrees(random.uniform(-12, 12)), degrees(random.uniform(-8, 8)), degrees(random.uniform(-15, 15)))
  const scales: Vec3 = [random.uniform(0.88, 1.12), random.uniform(0.88, 1.12), random.uniform(0.88, 1.12)]
  const toHead = multiply3(diagonal3(scales), rotation)
  const fromHead = multiply3(transpose3(rotation), diagonal3(scales.map((s) => 1 / s) as unknown as Vec3))
  const translation: Vec3 = [random.uniform(-8, 8), random.uniform(-8, 8), random.uniform(-8, 8)]
  const elastic = [0, 1, 2].map(() => new LatticeField(32, random))
  const elasticMm = random.uniform(0, 3)
  const texture = new LatticeField(random.uniform(3, 6), random)
  const lesionTexture = new LatticeField(3, random)
  const bias = new LatticeField(48, random)
  const fadeField = random.chance(0.5) ? new LatticeField(12, random) : null
  const lesionEdgeWidth = random.uniform(0.15, 0.6) // of the 0..1 fraction: a soft border
  // Drawn last, and only when asked for, so that scans without it come from the same draws as before.
  const disease = o.whiteMatterDiseaseShare && random.chance(o.whiteMatterDiseaseShare) ? sampleWhiteMatterDisease(head, preset, random, o.ctWhiteMatterDiseaseHu) : null
  const fieldOfView = o.fieldOfViewShare && random.chance(o.fieldOfViewShare) ? sampleFieldOfView(random, HEAD_CENTRE_MM) : null
  const chronic = o.chronicFlairShare && preset.name === 'flair' && random.chance(o.chronicFlairShare) ? sampleChronicInfarct(random) : null
  const coil = o.coilShare && preset.mode === 'mr' && random.chance(o.coilShare) ? sampleCoilSensitivity(random) : null
  const epi = o.epiArtifactShare && (preset.name === 'dwi' || preset.name === 'adc') && random.chance(o.epiArtifactShare) ? sampleEpiArtifact(head, preset, random) : null
  const atrophy = o.atrophyShare && random.chance(o.atrophyShare) ? sampleAtrophy(head, random) : null
  const lesionAnatomy = o.lesionAnatomyShare && preset.mode === 'mr' && random.chance(o.lesionAnatomyShare) ? sampleLesionAnatomy(random) : null
  const contrast = o.acquisitionLookShare && random.chance(o.acquisitionLookShare) ? withAcquisitionLook(preset, random) : preset // T2, DWI and ADC only
  const { means, textures } = contrast
  const labels = head.labels
  const [nx, ny, nz] = GRID_A_DIMS
  const mr = contrast.mode === 'mr'
  const whiteLevel = mr ? means[LABEL.white] || 0.5 : 1

  function renderPlane(plane: AxialPlane, random: Random): RenderedPlane {
    const { rows, columns, spacingMm } = plane
    const [ux, uy, vx, vy] = plane.axes ?? [1, 0, 0, 1]
    const worldX = (r: number, c: number) => plane.x0 + c * spacingMm * ux + r * spacingMm * vx
    const worldY = (r: number, c: number) => plane.y0 + c * spacingMm * uy + r * spacingMm * vy
    const lesionStrength = chronic ? Math.max(contrast.lesionStrength, CHRONIC_MIN_STRENGTH) : contrast.lesionStrength
    const pixels = rows * columns
    const sum = new Float32Array(pixels)
    const lesionCount = new Uint8Array(pixels)
    const brainCount = new Uint8Array(pixels)
    const samples = Math.max(1, Math.round(contrast.thicknessMm / 1.5))
    for (let s = 0; s < samples; s++) {
      const z = plane.z + ((s + 0.5) / samples - 0.5) * contrast.thicknessMm - HEAD_CENTRE_MM[2]
      for (let r = 0, i = 0; r < rows; r++) {
        for (let c = 0; c < columns; c++, i++) {
          const [x, y] = [worldX(r, c) - HEAD_CENTRE_MM[0], worldY(r, c) - HEAD_CENTRE_MM[1]]
          let qx = toHead[0] * x + toHead[1] * y + toHead[2] * z + HEAD_CENTRE_MM[0] + translation[0] + GRID_A_ORIGIN_INDEX[0]
          let qy = toHead[3] * x + toHead[4] * y + toHead[5] * z + HEAD_CENTRE_MM[1] + translation[1] + GRID_A_ORIGIN_INDEX[1]
          let qz = toHead[6] * x + toHead[7] * y + toHead[8] * z + HEAD_CENTRE_MM[2] + translation[2] + GRID_A_ORIGIN_INDEX[2]
          if (elasticMm > 0) {
            const [ex, ey, ez] = [elastic[0].at(qx, qy, qz), elastic[1].at(qx, qy, qz), elastic[2].at(qx, qy, qz)]
            qx += elasticMm * ex
            qy += elasticMm * ey
            qz += elasticMm * ez
          }
          const [vx, vy, vz] = [Math.round(qx), Math.round(qy), Math.round(qz)]
          const index = vx + nx * (vy + ny * vz)
          const headLabel = vx < 0 || vy < 0 || vz < 0 || vx >= nx || vy >= ny || vz >= nz ? LABEL.air : labels[index]
          const label = atrophy && headLabel !== LABEL.air ? atrophy.labelAt(headLabel, index, qx, qy, qz) : headLabel
          if (label === LABEL.air) {
            sum[i] += means[LABEL.air]
            continue
          }
          const t = texture.at(qx, qy, qz)
          let value = mr ? means[label] * (1 + textures[label] * t) : means[label] + textures[label] * t
          if (disease && label === LABEL.white) value = disease.apply(value, index, qx, qy, qz)
          if (isBrainLabel(label)) {
            brainCount[i]++
            let fraction = 0
            for (const l of lesions) fraction = Math.max(fraction, lesionFraction(l, qx, qy, qz))
            if (fraction > 0) {
              if (fraction >= 0.5) lesionCount[i]++
              const fade = fadeField ? Math.min(1, Math.max(0.4, 0.75 + 0.35 * fadeField.at(qx, qy, qz))) : 1
              const soft = Math.min(1, Math.max(0, (fraction - 0.5) / lesionEdgeWidth + 0.5)) * fade
              const lt = lesionTexture.at(qx, qy, qz)
              if (mr) {
                let lesionValue = means[LESION] * (1 + textures[LESION] * lt)
                if (chronic) {
                  let depth = 0
                  for (const l of lesions) depth = Math.max(depth, lesionFraction(l, qx, qy, qz, lesionDepthField(l.shape)))
                  lesionValue = chronic.valueAt(depth, lesionValue, means[LABEL.grey], means[LABEL.csf] * (1 + textures[LABEL.csf] * lt))
                }
                const strength = lesionAnatomy ? lesionStrength * lesionAnatomy.strengthAt(label, qx, qy, qz) : lesionStrength
                value += soft * strength * (lesionValue - value)
              } else {
                value -= soft * means[LESION] * (1 + textures[LESION] * lt)
              }
            }
          }
          if (epi) value *= Math.exp(epi.logGainAt(qx, qy, qz))
          sum[i] += value
        }
      }
    }
    const image = sum.map((v) => v / samples)
    const blurred = gaussianBlur({ dims: [columns, rows, 1], values: image }, contrast.inPlaneBlurMm / spacingMm).values // in-plane only: one plane
    const mask = new Uint8Array(pixels)
    const brain = new Uint8Array(pixels)
    for (let r = 0, i = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++, i++) {
        mask[i] = 2 * lesionCount[i] >= samples && lesionCount[i] > 0 ? 1 : 0
        brain[i] = 2 * brainCount[i] >= samples ? 1 : 0
        const stripped = contrast.skullStripped && !brain[i]
        let v = stripped ? means[LABEL.air] : blurred[i]
        // The bias field varies over the head, sampled at the plane's centre depth.
        const [wx, wy] = [worldX(r, c), worldY(r, c)]
        const [bx, by, bz] = [wx + GRID_A_ORIGIN_INDEX[0], wy + GRID_A_ORIGIN_INDEX[1], plane.z + GRID_A_ORIGIN_INDEX[2]]
        if (mr) {
          const coilGain = coil ? coilLogGain(coil, wx - HEAD_CENTRE_MM[0], wy - HEAD_CENTRE_MM[1], plane.z - HEAD_CENTRE_MM[2]) : 0
          v = Math.max(0, v) * Math.exp(contrast.bias * bias.at(bx, by, bz) + coilGain)
          v = whiteLevel * Math.pow(Math.max(0, v / whiteLevel), contrast.gamma)
          const noise = contrast.noise * whiteLevel
          v = contrast.gain * Math.hypot(v + random.normal(0, noise), random.normal(0, noise)) // Rician
        } else if (v > -500) {
          v = Math.round(v + contrast.bias * bias.at(bx, by, bz) + random.normal(0, contrast.noise))
        }
        if (fieldOfView && !insideFieldOfView(fieldOfView, wx, wy, plane.z)) {
          v = mr ? 0 : -1024
          mask[i] = 0
          brain[i] = 0
        }
        image[i] = v
      }
    }
    return { image, mask, brain }
  }

  function lesionPoint(random: Random): Vec3 | null {
    if (lesions.length === 0) return null
    const l = random.pick(lesions)
    // A lesion voxel of the shape, then where it lands in output world (the elastic part left out: a few mm).
    const [sx, sy] = l.shape.size
    let index = random.integer(0, l.shape.voxels.length)
    for (let n = 0; n < l.shape.voxels.length && !l.shape.voxels[index]; n++) index = (index + 7919) % l.shape.voxels.length
    let px = l.shape.origin[0] + (index % sx)
    const py = l.shape.origin[1] + (Math.floor(index / sx) % sy)
    const pz = l.shape.origin[2] + Math.floor(index / (sx * sy))
    if (l.mirrored) px = mirrorX(px)
    const inHead = apply3(l.forward, [px - l.centre[0], py - l.centre[1], pz - l.centre[2]]).map((v, a) => v + l.centre[a] + l.shift[a])
    const relative = inHead.map((v, a) => v - GRID_A_ORIGIN_INDEX[a] - HEAD_CENTRE_MM[a] - translation[a]) as unknown as Vec3
    return apply3(fromHead, relative).map((v, a) => v + HEAD_CENTRE_MM[a]) as unknown as Vec3
  }

  function midlineAt(z: number): Midline {
    // The head's mid-sagittal plane, MNI x = 0: toHead's first row . (p - centre) + centre x + translation x = 0.
    const [nx, ny, nz] = [toHead[0], toHead[1], toHead[2]]
    const along = (-(HEAD_CENTRE_MM[0] + translation[0]) - nz * (z - HEAD_CENTRE_MM[2])) / (nx * nx + ny * ny)
    const angle = Math.atan2(-ny, nx) // the line's direction (-ny, nx) / |n|, from the y axis
    return { x: HEAD_CENTRE_MM[0] + nx * along, y: HEAD_CENTRE_MM[1] + ny * along, angle }
  }

  return { head: head.name, contrast, acquisitionLook: contrast !== preset, lesionFiles: lesions.map((l) => l.shape.file), coil, epiArtifact: epi, fieldOfView, atrophy, lesionAnatomy, renderPlane, midlineAt, lesionPoint }
}
