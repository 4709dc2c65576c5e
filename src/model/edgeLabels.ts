/**
 * Lesion edge labels for the auxiliary task: the morphological gradient dilate(mask) - erode(mask),
 * a band `widthPx` pixels wide across the border (half outside, half inside; 2 px by default: one
 * pixel each side). Square structuring elements, so the band follows 8-connectivity.
 */
import * as tf from '@tensorflow/tfjs'

export const DEFAULT_EDGE_WIDTH_PX = 2

/** mask: [batch, H, W, 1] of 0/1 -> edge band [batch, H, W, 1] of 0/1. */
export function edgeLabels(mask: tf.Tensor4D, widthPx: number = DEFAULT_EDGE_WIDTH_PX): tf.Tensor4D {
  if (!(Number.isInteger(widthPx) && widthPx >= 1)) throw new Error(`edge width must be an integer >= 1 pixel, got ${widthPx}`)
  const outside = Math.ceil(widthPx / 2)
  const inside = Math.floor(widthPx / 2)
  return tf.tidy(() => {
    const dilated = tf.maxPool(mask, 2 * outside + 1, 1, 'same') // outside >= 1 since widthPx >= 1
    // erosion = -dilation(-mask); pooling ignores the padding, so the image border itself is not an edge
    const eroded = inside > 0 ? tf.maxPool(mask.neg(), 2 * inside + 1, 1, 'same').neg() : mask
    return dilated.sub(eroded) as tf.Tensor4D
  })
}
