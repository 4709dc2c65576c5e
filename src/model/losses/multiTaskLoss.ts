/**
 * Loss = gamma Loss_mask + lambda Loss_edge + delta Loss_lap  (eq. 6), with (1, 1, 10) as in the paper.
 */
import * as tf from '@tensorflow/tfjs'
import { laplacianConsistencyLoss } from './laplacianConsistencyLoss'
import { checkWeights, DEFAULT_SEGMENT_WEIGHTS, segmentLoss, type SegmentLossWeights } from './segmentLoss'

export interface MultiTaskLossWeights {
  /** gamma */
  readonly mask: number
  /** lambda; ignored when the model has no edge head */
  readonly edge: number
  /** delta */
  readonly laplacian: number
  /** alpha and beta of each segment loss */
  readonly segment: SegmentLossWeights
}

export const DEFAULT_MULTI_TASK_WEIGHTS: MultiTaskLossWeights = { mask: 1, edge: 1, laplacian: 10, segment: DEFAULT_SEGMENT_WEIGHTS }

export interface MultiTaskPrediction {
  /** [batch, H, W, 1] */
  readonly maskLogits: tf.Tensor4D
  /** [batch, H, W, 1], absent for a model without an edge task */
  readonly edgeLogits?: tf.Tensor4D
}

export interface MultiTaskTarget {
  /** [batch, H, W, 1], 0/1 */
  readonly mask: tf.Tensor4D
  /** [batch, H, W, 1], 0/1 (see edgeLabels) */
  readonly edge: tf.Tensor4D
}

export interface MultiTaskLossTerms {
  readonly total: tf.Scalar
  readonly mask: tf.Scalar
  /** absent when the model has no edge head */
  readonly edge?: tf.Scalar
  readonly laplacian: tf.Scalar
}

export function resolveLossWeights(weights: Partial<MultiTaskLossWeights> = {}): MultiTaskLossWeights {
  const full = { ...DEFAULT_MULTI_TASK_WEIGHTS, ...weights }
  checkWeights({ mask: full.mask, edge: full.edge, laplacian: full.laplacian, ...full.segment })
  return full
}

/** Every term, for logging; the caller owns (and disposes) the returned scalars. */
export function multiTaskLossTerms(
  prediction: MultiTaskPrediction,
  target: MultiTaskTarget,
  weights: Partial<MultiTaskLossWeights> = {},
): MultiTaskLossTerms {
  const w = resolveLossWeights(weights)
  return tf.tidy(() => {
    const mask = segmentLoss(prediction.maskLogits, target.mask, w.segment)
    const edge = prediction.edgeLogits ? segmentLoss(prediction.edgeLogits, target.edge, w.segment) : undefined
    const lap = laplacianConsistencyLoss(tf.sigmoid(prediction.maskLogits), target.mask)
    let total = mask.mul(w.mask).add(lap.mul(w.laplacian))
    if (edge) total = total.add(edge.mul(w.edge))
    return { total: total as tf.Scalar, mask, edge, laplacian: lap } satisfies MultiTaskLossTerms as tf.TensorContainerObject
  }) as unknown as MultiTaskLossTerms
}

export function multiTaskLoss(prediction: MultiTaskPrediction, target: MultiTaskTarget, weights: Partial<MultiTaskLossWeights> = {}): tf.Scalar {
  const terms = multiTaskLossTerms(prediction, target, weights)
  tf.dispose([terms.mask, terms.laplacian, ...(terms.edge ? [terms.edge] : [])])
  return terms.total
}
