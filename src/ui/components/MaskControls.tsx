import type { MaskSummary } from '../state/session'

interface Props {
  readonly mask: MaskSummary | null
  readonly opacity: number
  readonly visible: boolean
  readonly onOpacity: (percent: number) => void
  readonly onVisible: (visible: boolean) => void
}

export function MaskControls({ mask, opacity, visible, onOpacity, onVisible }: Props) {
  return (
    <section className="panel" data-testid="mask-controls">
      <h3>Lesion mask</h3>
      {mask ? (
        <p data-testid="mask-info">
          {mask.label}: {mask.lesionVoxels} voxels, {mask.lesionMl.toFixed(2)} mL
        </p>
      ) : (
        <p className="hint">No mask loaded.</p>
      )}
      <label className="slider">
        Opacity {opacity} %
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={opacity}
          data-testid="opacity-slider"
          disabled={!mask}
          onChange={(e) => onOpacity(Number(e.currentTarget.value))}
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={visible} disabled={!mask} data-testid="mask-visible" onChange={(e) => onVisible(e.currentTarget.checked)} />
        Show mask
      </label>
    </section>
  )
}
