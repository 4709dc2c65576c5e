import type { ReactNode } from 'react'

interface Props {
  /** What the slider sets, with its current value, e.g. "Opacity 50 %". */
  readonly label: ReactNode
  readonly min: number
  readonly max: number
  readonly value: number
  readonly testId: string
  readonly disabled: boolean
  readonly onChange: (value: number) => void
}

/** A labelled whole-number slider. */
export function Slider({ label, min, max, value, testId, disabled, onChange }: Props) {
  return (
    <label className="slider">
      {label}
      <input
        type="range"
        min={min}
        max={max}
        step={1}
        value={value}
        data-testid={testId}
        disabled={disabled}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      />
    </label>
  )
}
