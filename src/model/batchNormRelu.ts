/**
 * Batch norm followed by ReLU as one layer, with one closed-form gradient for training.
 * Same weights as tfjs' BatchNormalization, in the same order and with the same names (gamma, beta,
 * moving_mean, moving_variance), and the same running-statistics update. tfjs builds the training-mode
 * batch norm from `moments` and `batchNorm`, and its gradient from theirs: ~17 full-size kernels per layer
 * (Mean gradients of ones tensors, square, subtract, add). Here the backward pass is 9:
 *   z = γ x̂ + β,  x̂ = (x - μ) r,  r = 1/sqrt(σ² + ε),  y = relu(z),  dz = dy [y > 0],
 *   dβ = Σ dz,  dγ = Σ dz x̂,  dx = γ r (dz - (dβ + x̂ dγ) / n)   (Σ and n over every axis but the channels).
 * Inference mode uses the running statistics, as the folded convolutions of the exported model do.
 */
import * as tf from '@tensorflow/tfjs'

export interface BatchNormReluArgs {
  readonly name: string
  /** Running statistics: moving = momentum * moving + (1 - momentum) * batch. */
  readonly momentum: number
  readonly epsilon: number
}

interface BatchStatistics {
  readonly mean: tf.Tensor1D
  readonly variance: tf.Tensor1D
}

/**
 * relu(batchNorm(x)) with the batch's statistics; x [..., C], gamma and beta [C]. Also returns the batch mean
 * and (biased) variance [C], which the caller disposes.
 */
export function batchNormReluTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): { y: tf.Tensor; statistics: BatchStatistics } {
  const axes = x.shape.slice(0, -1).map((_, i) => i) // every axis but the channels
  const n = x.size / x.shape[x.rank - 1]
  let statistics: BatchStatistics | null = null
  const forward = tf.customGrad((...args: unknown[]) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc]
    const mean = tf.mean(input, axes) as tf.Tensor1D // [C]
    const variance = tf.mean(tf.squaredDifference(input, mean), axes) as tf.Tensor1D // [C], biased
    statistics = { mean: tf.keep(mean), variance: tf.keep(variance) }
    const y = tf.relu(tf.batchNorm(input, mean, variance, b, g, epsilon))
    save([input, mean, variance, g, y])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mean, variance, gs, ys] = saved
        const dz = tf.mul(dy, tf.step(ys)) // [..., C]
        const xHat = tf.batchNorm(xs, mean, variance, undefined, undefined, epsilon) // [..., C]
        const dBeta = tf.sum(dz, axes) // [C]
        const dGamma = tf.sum(tf.mul(dz, xHat), axes) // [C]
        // (dβ + x̂ dγ) / n as one per-channel affine map of x: x̂ dγ/n + dβ/n.
        const correction = tf.batchNorm(xs, mean, variance, tf.div(dBeta, n), tf.div(dGamma, n), epsilon)
        const dx = tf.mul(tf.sub(dz, correction), tf.mul(gs, tf.rsqrt(tf.add(variance, epsilon))))
        return [dx, dGamma, dBeta]
      },
    }
  })
  const y = forward(x, gamma, beta)
  return { y, statistics: statistics! }
}

export class BatchNormRelu extends tf.layers.Layer {
  static readonly className = 'BatchNormRelu'
  private readonly momentum: number
  readonly epsilon: number
  private gamma!: tf.LayerVariable
  private beta!: tf.LayerVariable
  private movingMean!: tf.LayerVariable
  private movingVariance!: tf.LayerVariable

  constructor(args: BatchNormReluArgs) {
    super({ name: args.name })
    this.momentum = args.momentum
    this.epsilon = args.epsilon
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape
    const channels = shape[shape.length - 1]
    if (channels == null) throw new Error(`${this.name}: the channel count must be known`)
    const weight = (name: string, init: ReturnType<typeof tf.initializers.ones>, trainable: boolean) =>
      this.addWeight(name, [channels], 'float32', init, undefined, trainable)
    this.gamma = weight('gamma', tf.initializers.ones(), true)
    this.beta = weight('beta', tf.initializers.zeros(), true)
    this.movingMean = weight('moving_mean', tf.initializers.zeros(), false)
    this.movingVariance = weight('moving_variance', tf.initializers.ones(), false)
    this.built = true
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs
    const [gamma, beta] = [this.gamma.read() as tf.Tensor1D, this.beta.read() as tf.Tensor1D]
    if (!kwargs.training) {
      return tf.tidy(() => tf.relu(tf.batchNorm(x, this.movingMean.read(), this.movingVariance.read(), beta, gamma, this.epsilon)))
    }
    const { y, statistics } = batchNormReluTraining(x, gamma, beta, this.epsilon)
    tf.tidy(() => {
      for (const [moving, batch] of [
        [this.movingMean, statistics.mean],
        [this.movingVariance, statistics.variance],
      ] as const) {
        moving.write(tf.add(tf.mul(moving.read(), this.momentum), tf.mul(batch, 1 - this.momentum)))
      }
    })
    tf.dispose([statistics.mean, statistics.variance])
    return y
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon }
  }
}
tf.serialization.registerClass(BatchNormRelu)
