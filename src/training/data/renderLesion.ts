/**
 * Draws a lesion into a procedural T1 head (synthetic-t1) as the paper's difficulty describes it: irregular
 * shape, blurred border, low and variable contrast (a chronic stroke tending to CSF-like hypointensity,
 * 35-100 %), then scanner effects (bias field, noise, intensity scaling). The label is the sharp lesion
 * (fraction >= 0.5) inside the brain; the image gets a blurred version of it.
 */
import type { Anatomy } from './anatomy'
import { gaussianBlur, smoothField } from './grid3d'
import type { Random } from './random'

export interface RenderedCase {
  /** T1 in arbitrary units. */
  readonly image: Float32Array
  readonly mask: Uint8Array
}

export function renderLesion(anatomy: Anatomy, lesionFraction: Float32Array, random: Random): RenderedCase {
  const { dims, brain } = anatomy
  const inBrain = (i: number) => brain[i] >= 0.5
  const mask = Uint8Array.from(lesionFraction, (f, i) => (f >= 0.5 && inBrain(i) ? 1 : 0))
  const soft = gaussianBlur({ dims, values: lesionFraction }, random.uniform(0.4, 1.5)).values.map((v, i) => Math.min(1, v) * brain[i])
  const texture = smoothField(dims, 1.5, random).values
  const bias = smoothField(dims, 12, random).values
  const image = new Float32Array(soft.length)
  const strength = random.uniform(0.35, 1)
  const gain = random.uniform(0.7, 1.3) * 1000 // arbitrary scanner units
  const biasAmplitude = random.uniform(0, 0.2)
  const noise = random.uniform(0.015, 0.06)
  for (let i = 0; i < image.length; i++) {
    const lesionLevel = 0.3 + 0.08 * texture[i]
    const t = anatomy.t1[i] * (1 - strength * soft[i]) + lesionLevel * strength * soft[i]
    image[i] = Math.max(0, gain * (t * (1 + biasAmplitude * bias[i]) + random.normal(0, noise)))
  }
  return { image, mask }
}
