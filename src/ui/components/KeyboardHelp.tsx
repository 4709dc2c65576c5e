import { SHORTCUTS } from '../keyboard'

interface Props {
  readonly onClose: () => void
}

/** The keys, from the table the keyboard handler reads. */
export function KeyboardHelp({ onClose }: Props) {
  return (
    <div className="keyboard-help" role="dialog" aria-label="Keyboard" data-testid="keyboard-help">
      <h3>Keyboard</h3>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.shown}>
              <th>{s.shown}</th>
              <td>{s.does}</td>
            </tr>
          ))}
          <tr>
            <th>Mouse</th>
            <td>left: crosshair or tool · right-drag: window/level · middle-drag: pan · wheel: slices</td>
          </tr>
        </tbody>
      </table>
      <button type="button" data-testid="keyboard-help-close" onClick={onClose}>
        Close
      </button>
    </div>
  )
}
