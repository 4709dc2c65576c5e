import type { DraftOffer as Offer } from '../state/session'

interface Props {
  readonly draft: Offer
  readonly onRestore: () => void
  readonly onDiscard: () => void
}

/** Corrections of this scan that the device kept from an earlier visit (a reload, a crash): restore or forget. */
export function DraftOffer({ draft, onRestore, onDiscard }: Props) {
  const when = new Date(draft.savedAt).toLocaleString()
  return (
    <section className="panel panel--notice" data-testid="draft-offer" role="alert">
      <h3>Unsaved corrections found</h3>
      <p>
        This device kept your corrections of this scan from {when}: {draft.label}, {draft.voxels} lesion voxels.
      </p>
      <div className="buttons">
        <button type="button" data-testid="restore-draft" onClick={onRestore}>
          Restore them
        </button>
        <button type="button" data-testid="discard-draft" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </section>
  )
}
