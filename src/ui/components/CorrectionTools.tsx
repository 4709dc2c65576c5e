import { EDIT_TOOLS, type EditTool, type Measurement } from '../../viewer/viewOptions'
import { PEN_SIZES, type MaskSummary } from '../state/session'
import { Slider } from './Slider'

const LABELS: Readonly<Record<EditTool, string>> = {
  navigate: 'Navigate',
  pen: 'Pen',
  eraser: 'Eraser',
  fill: 'Fill',
  measure: 'Measure',
}

const HINTS: Readonly<Record<EditTool, string>> = {
  navigate: 'Left-drag moves the crosshair.',
  pen: 'Left-drag on a 2-D view paints lesion.',
  eraser: 'Left-drag on a 2-D view removes lesion.',
  fill: 'Draw a closed outline on a 2-D view; it is filled when you let go.',
  measure: 'Left-drag on a 2-D view measures the distance in mm.',
}

interface Props {
  readonly hasScan: boolean
  readonly mask: MaskSummary | null
  readonly tool: EditTool
  readonly penSize: number
  readonly onTool: (tool: EditTool) => void
  readonly onPenSize: (voxels: number) => void
  readonly onUndo: () => void
  readonly measurements: readonly Measurement[]
  readonly onClearMeasurements: () => void
}

/** Hand correction of the mask (niivue's pen, eraser and filled pen, pen size, undo) and distances measured. */
export function CorrectionTools({ hasScan, mask, tool, penSize, onTool, onPenSize, onUndo, measurements, onClearMeasurements }: Props) {
  return (
    <section className="panel" data-testid="correction-tools">
      <h3>Correct and measure</h3>
      <div className="segmented" role="group" aria-label="Editing tool">
        {EDIT_TOOLS.map((t) => (
          <button key={t} type="button" aria-pressed={t === tool} data-testid={`tool-${t}`} disabled={!hasScan} onClick={() => onTool(t)}>
            {LABELS[t]}
          </button>
        ))}
      </div>
      <p className="hint">{HINTS[tool]}</p>
      <Slider
        label={`Pen size ${penSize} ${penSize === 1 ? 'voxel' : 'voxels'}`}
        min={PEN_SIZES.min}
        max={PEN_SIZES.max}
        value={penSize}
        testId="pen-size"
        disabled={!hasScan}
        onChange={onPenSize}
      />
      <div className="buttons">
        <button type="button" data-testid="undo-button" disabled={!mask || mask.undoable === 0} onClick={onUndo}>
          Undo{mask && mask.undoable > 0 ? ` (${mask.undoable})` : ''}
        </button>
        {mask && mask.edits > 0 && (
          <span className="hint" data-testid="edit-count">
            {mask.edits} {mask.edits === 1 ? 'correction' : 'corrections'}
          </span>
        )}
      </div>
      {measurements.length > 0 && (
        <div data-testid="measurements" data-mm={measurements.map((m) => m.distanceMm.toFixed(2)).join(',')}>
          <p className="hint">
            Distances: {measurements.map((m) => `${m.distanceMm.toFixed(1)} mm`).join(', ')}
          </p>
          <button type="button" data-testid="clear-measurements" onClick={onClearMeasurements}>
            Clear distances
          </button>
        </div>
      )}
    </section>
  )
}
