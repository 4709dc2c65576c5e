/**
 * The head's midline and the mirror channel. A reader tells a faint infarct from normal anatomy by the same place
 * in the other hemisphere; a model with the card's `input.mirrorChannel` is shown it: after the scan's channel
 * comes the slice minus its reflection about the head's midline (the trace of its mid-sagittal plane on the axial
 * slice), near 0 where the head is symmetric and negative where a region is darker than its mirror image. The
 * difference rather than the reflection itself: a network continued from one without the channel (its weights at
 * 0) learns what the difference says under Adam at a fine-tuning rate; the reflection, which is mostly the slice
 * again, left its weights at 1/140 of the scan's after 500 steps (MODELS.md, session 54).
 * Training draws that reflection from the synthetic head's own midline (syntheticData.ts); segmentation finds the
 * midline from the scan's left-right symmetry (estimateMidline) and reflects the model input with
 * tf.image.transform (withMirrorChannel). One line serves every slice of a scan: a head rolled about its
 * front-back axis shifts its midline from slice to slice, which this leaves to the model.
 */
import * as tf from '@tensorflow/tfjs'
import { sourceIndexOf, type RasReorientation } from '../volume/rasReorientation'
import type { Volume } from '../volume/volume'
import type { SliceGeometry } from './axialSlices'
import type { IntensityMapping } from './intensityNormalization'

/** A line in an axial plane (mm): through (x, y), at `angle` (radians) from the y axis, turning towards +x as y grows. */
export interface Midline {
  readonly x: number
  readonly y: number
  readonly angle: number
}

/** Point (x, y) reflected about the line (mm). */
export function reflectPoint(line: Midline, x: number, y: number): [number, number] {
  const [nx, ny] = [Math.cos(line.angle), -Math.sin(line.angle)] // the line's normal
  const distance = (x - line.x) * nx + (y - line.y) * ny
  return [x - 2 * distance * nx, y - 2 * distance * ny]
}

type Point = readonly [number, number]

/**
 * A grid reflected about the line: `origin` (mm) and the steps `u` along its columns and `v` along its rows
 * become those of the grid whose every pixel lies at the mirror image of the same pixel of this one.
 */
export function reflectedGrid(line: Midline, origin: Point, u: Point, v: Point): { origin: Point; u: Point; v: Point } {
  const o = reflectPoint(line, ...origin)
  const along = (step: Point): Point => {
    const [x, y] = reflectPoint(line, origin[0] + step[0], origin[1] + step[1])
    return [x - o[0], y - o[1]]
  }
  return { origin: o, u: along(u), v: along(v) }
}

/** The centre line of a slice grid of `dims` pixels of `spacing` mm (mm from the first pixel's centre): the midline of a head centred in it. */
export function centreLineOf(dims: readonly number[], spacing: readonly number[]): Midline {
  return { x: ((dims[0] - 1) * spacing[0]) / 2, y: ((dims[1] - 1) * spacing[1]) / 2, angle: 0 }
}

/** The line through (x, y) turned to `angle` and moved `offsetMm` along its normal. */
export function movedLine(line: Midline, angle: number, offsetMm: number): Midline {
  return { x: line.x + offsetMm * Math.cos(angle), y: line.y - offsetMm * Math.sin(angle), angle }
}

/** The grid the midline is searched on (mm): coarse enough to be quick, fine enough for the head's outline. */
const SEARCH_MM = 3
/** Most slices searched: evenly spread over the middle of the head's slices, where the brain is widest. */
const SEARCH_SLICES = 24

/**
 * The midline of a scan, in mm on its RAS slice grid (x = RAS column index x spacing, y = row index x spacing):
 * the line that best maps the head onto itself, by the mean absolute difference of the normalised voxels and
 * their reflection over the head's voxels (air, skull and brain all count: the skull is the surest symmetric
 * outline). Searched over +-30 degrees and +-30 mm about the head's centre, then refined twice.
 */
export function estimateMidline(volume: Volume, orientation: RasReorientation, mapping: IntensityMapping, slices: readonly number[]): Midline {
  const [nx, ny] = orientation.dims
  const [sx, sy] = orientation.spacing
  const [stepX, stepY] = [Math.max(1, Math.round(SEARCH_MM / sx)), Math.max(1, Math.round(SEARCH_MM / sy))]
  const [cx, cy] = [Math.floor(nx / stepX), Math.floor(ny / stepY)]
  const [cellX, cellY] = [stepX * sx, stepY * sy]
  const middle = slices.slice(Math.floor(slices.length * 0.2), Math.ceil(slices.length * 0.8))
  const searched = Math.min(SEARCH_SLICES, middle.length)
  const picked = Array.from({ length: searched }, (_, i) => middle[Math.floor(((i + 0.5) * middle.length) / searched)])
  const images = picked.map(() => new Float32Array(cx * cy))
  const head: Array<[number, number, number]> = [] // slice, column, row of the head's cells
  let [sumX, sumY] = [0, 0]
  picked.forEach((k, s) => {
    for (let j = 0; j < cy; j++) {
      for (let i = 0; i < cx; i++) {
        const raw = volume.data[sourceIndexOf(orientation, i * stepX, j * stepY, k)]
        const value = Number.isFinite(raw) ? raw : mapping.fill
        images[s][i + cx * j] = Math.max(-mapping.clip, Math.min(mapping.clip, (value - mapping.offset) / mapping.scale))
        if (value > mapping.headAbove) {
          head.push([s, i, j])
          sumX += i * cellX
          sumY += j * cellY
        }
      }
    }
  })
  if (head.length === 0) return centreLineOf(orientation.dims, orientation.spacing)
  const centre = { x: sumX / head.length, y: sumY / head.length }
  const cost = (line: Midline, every: number) => {
    let [sum, count] = [0, 0]
    for (let h = 0; h < head.length; h += every) {
      const [s, i, j] = head[h]
      const [rx, ry] = reflectPoint(line, i * cellX, j * cellY)
      const [u, v] = [rx / cellX, ry / cellY]
      const [u0, v0] = [Math.floor(u), Math.floor(v)]
      if (u0 < 0 || v0 < 0 || u0 + 1 >= cx || v0 + 1 >= cy) {
        sum += Math.abs(images[s][i + cx * j] - mapping.background)
      } else {
        const [fu, fv, image, at] = [u - u0, v - v0, images[s], u0 + cx * v0]
        const top = image[at] + (image[at + 1] - image[at]) * fu
        const bottom = image[at + cx] + (image[at + cx + 1] - image[at + cx]) * fu
        sum += Math.abs(image[i + cx * j] - (top + (bottom - top) * fv))
      }
      count++
    }
    return sum / count
  }
  let best: Midline = { ...centre, angle: 0 }
  for (const [degrees, mm, span, every] of [[3, 3, 10, 4], [1, 1, 3, 1], [0.25, 0.25, 4, 1]]) {
    const around = best
    let bestCost = Infinity
    for (let a = -span; a <= span; a++) {
      for (let o = -span; o <= span; o++) {
        const line = movedLine(around, around.angle + (a * degrees * Math.PI) / 180, o * mm)
        const c = cost(line, every)
        if (c < bestCost) [bestCost, best] = [c, line]
      }
    }
  }
  return best
}

/** tf.image.transform's 8 numbers: output pixel (column, row) -> the input pixel it reads. */
export type PixelTransform = readonly [number, number, number, number, number, number, number, number]

/**
 * The reflection about `midline` (mm on the RAS slice grid of `spacing`) as a transform of the model's input
 * pixels: padded, resampled slices (axialSlices.ts: half-pixel centres, padding [top, bottom, left, right]).
 */
export function mirrorTransformOf(midline: Midline, geometry: SliceGeometry, spacing: readonly [number, number]): PixelTransform {
  const [top, , left] = geometry.padding
  // model pixel u -> mm: x = ax u + bx (and the same for rows)
  const ax = (spacing[0] * geometry.native[1]) / geometry.resampled[1]
  const ay = (spacing[1] * geometry.native[0]) / geometry.resampled[0]
  const bx = spacing[0] * ((0.5 - left) * (geometry.native[1] / geometry.resampled[1]) - 0.5)
  const by = spacing[1] * ((0.5 - top) * (geometry.native[0] / geometry.resampled[0]) - 0.5)
  const { origin, u, v } = reflectedGrid(midline, [bx, by], [ax, 0], [0, ay]) // mm
  // in model pixels: output pixel (column c, row r) reads input column c u_x/ax + r v_x/ax + origin column, and so on
  return [u[0] / ax, v[0] / ax, (origin[0] - bx) / ax, u[1] / ay, v[1] / ay, (origin[1] - by) / ay, 0, 0]
}

/**
 * [b, H, W, 1] model input -> [b, H, W, 2]: the input, then the input minus its reflection by `transform` (nearest
 * pixel, as training's slices have no interpolation; outside the slice the reflection reads `background`, the
 * normalised air). Training makes the same difference of a slice drawn at the reflected points (syntheticData.ts).
 */
export function withMirrorChannel(input: tf.Tensor4D, transform: PixelTransform, background: number): tf.Tensor4D {
  return tf.tidy(() => tf.concat([input, tf.sub(input, tf.image.transform(input, tf.tensor2d([[...transform]]), 'nearest', 'constant', background))], 3) as tf.Tensor4D)
}
