import type { ReferenceSummary } from '../state/session'
import { Slider } from './Slider'

interface Props {
  readonly reference: ReferenceSummary | null
  /** The label of the mask being edited (A in the comparison), or null without one. */
  readonly maskLabel: string | null
  readonly opacity: number
  readonly visible: boolean
  readonly onOpacity: (percent: number) => void
  readonly onVisible: (visible: boolean) => void
  readonly onRemove: () => void
}

/** A second mask beside the edited one (cyan against red), and how the two agree. */
export function ReferenceMask({ reference, maskLabel, opacity, visible, onOpacity, onVisible, onRemove }: Props) {
  if (!reference) return null
  const comparison = reference.comparison
  return (
    <section className="panel" data-testid="reference-mask">
      <h3>Reference mask</h3>
      <p>
        <span className="swatch swatch--reference" /> {reference.label}: {reference.report.volumeMl.toFixed(2)} mL in {reference.report.lesions.length}{' '}
        {reference.report.lesions.length === 1 ? 'lesion' : 'lesions'}
      </p>
      {comparison && maskLabel ? (
        <p
          className="mask-comparison"
          data-testid="mask-comparison"
          data-dice={comparison.dice === null ? '' : comparison.dice.toFixed(4)}
          data-only-a={comparison.onlyAVoxels}
          data-only-b={comparison.onlyBVoxels}
          title={`A: ${maskLabel}; B: ${reference.label}`}
        >
          Dice <strong>{comparison.dice === null ? '-' : comparison.dice.toFixed(3)}</strong> · A {comparison.volumeAMl.toFixed(2)} mL · B{' '}
          {comparison.volumeBMl.toFixed(2)} mL · only in A {comparison.onlyAVoxels} voxels · only in B {comparison.onlyBVoxels} voxels
        </p>
      ) : (
        <p className="hint">No mask to compare with yet: segment, open or draw one.</p>
      )}
      <Slider label={`Opacity ${opacity} %`} min={0} max={100} value={opacity} testId="reference-opacity-slider" disabled={false} onChange={onOpacity} />
      <label className="checkbox">
        <input type="checkbox" checked={visible} data-testid="reference-visible" onChange={(e) => onVisible(e.currentTarget.checked)} />
        Show reference
      </label>
      <div className="buttons">
        <button type="button" data-testid="remove-reference-button" onClick={onRemove}>
          Remove reference
        </button>
      </div>
    </section>
  )
}
