/**
 * Segmentation metrics, apart from the losses: per case, then aggregated. Pure TS over binary masks
 * (any typed array, non-zero = lesion). The empty case is decided explicitly: when prediction and
 * reference are both empty, Dice and IoU are undefined (null), such cases are left out of the means and
 * counted separately.
 */

export interface Confusion {
  readonly tp: number
  readonly fp: number
  readonly fn: number
}

export interface CaseScores extends Confusion {
  /** 2TP / (2TP + FP + FN), or null when both masks are empty */
  readonly dice: number | null
  /** TP / (TP + FP + FN), or null when both masks are empty */
  readonly iou: number | null
}

export interface AggregateScores {
  readonly meanDice: number | null
  readonly meanIou: number | null
  /** Cases with a defined score (in the means) */
  readonly scored: number
  /** Cases where both masks were empty (left out of the means) */
  readonly bothEmpty: number
  /** Sums over all cases */
  readonly total: Confusion
}

type Binary = ArrayLike<number>

export function confusion(predicted: Binary, reference: Binary, offset = 0, length = predicted.length - offset): Confusion {
  if (predicted.length !== reference.length) throw new Error(`masks differ in size: ${predicted.length} vs ${reference.length} voxels`)
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = offset; i < offset + length; i++) {
    const p = predicted[i] !== 0
    const r = reference[i] !== 0
    if (p && r) tp++
    else if (p) fp++
    else if (r) fn++
  }
  return { tp, fp, fn }
}

export function scoresOf(c: Confusion): CaseScores {
  const denominator = c.tp + c.fp + c.fn
  if (denominator === 0) return { ...c, dice: null, iou: null }
  return { ...c, dice: (2 * c.tp) / (2 * c.tp + c.fp + c.fn), iou: c.tp / denominator }
}

/** Scores of a whole volume (or a single slice). */
export function volumeScores(predicted: Binary, reference: Binary): CaseScores {
  return scoresOf(confusion(predicted, reference))
}

/** Scores of each slice along the slowest axis (k of an [nx, ny, nz] volume, x fastest). */
export function sliceScores(predicted: Binary, reference: Binary, sliceVoxels: number): CaseScores[] {
  if (predicted.length % sliceVoxels !== 0) throw new Error(`${predicted.length} voxels do not split into slices of ${sliceVoxels}`)
  const scores: CaseScores[] = []
  for (let offset = 0; offset < predicted.length; offset += sliceVoxels) {
    scores.push(scoresOf(confusion(predicted, reference, offset, sliceVoxels)))
  }
  return scores
}

export function aggregateScores(cases: readonly CaseScores[]): AggregateScores {
  const scored = cases.filter((c) => c.dice !== null)
  const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length)
  return {
    meanDice: mean(scored.map((c) => c.dice as number)),
    meanIou: mean(scored.map((c) => c.iou as number)),
    scored: scored.length,
    bothEmpty: cases.length - scored.length,
    total: cases.reduce((t, c) => ({ tp: t.tp + c.tp, fp: t.fp + c.fp, fn: t.fn + c.fn }), { tp: 0, fp: 0, fn: 0 }),
  }
}
