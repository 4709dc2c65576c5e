import type { PendingOpenChoice } from '../session/sessionActions'
import type { MaskSummary } from '../state/session'

interface Props {
  /** The files waiting to open. */
  readonly files: string
  readonly mask: MaskSummary | null
  readonly onChoose: (choice: PendingOpenChoice) => void
}

/** Another scan was dropped while the mask on screen is not in any file: save it, let it go, or stay. */
export function PendingOpen({ files, mask, onChoose }: Props) {
  return (
    <section className="panel panel--notice" role="alertdialog" aria-label="Open another scan?" data-testid="pending-open">
      <h3>Open {files}?</h3>
      <p>
        The mask on screen ({mask ? `${mask.label}, ${mask.report.volumeMl.toFixed(2)} mL` : 'a mask'}
        {mask && mask.edits > 0 ? `, with ${mask.edits} ${mask.edits === 1 ? 'correction' : 'corrections'}` : ''}) is not saved in a file. Opening
        another scan closes it.
      </p>
      <div className="buttons">
        <button type="button" data-testid="save-and-open" onClick={() => onChoose('save')}>
          Save the mask, then open
        </button>
        <button type="button" data-testid="discard-and-open" onClick={() => onChoose('discard')}>
          Open without saving
        </button>
        <button type="button" data-testid="keep-scan" onClick={() => onChoose('keep')}>
          Stay on this scan
        </button>
      </div>
    </section>
  )
}
