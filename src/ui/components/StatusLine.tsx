import type { Status } from '../state/session'

/** Messages for the user; errors and warnings are also announced (role=alert). */
export function StatusLine({ status }: { readonly status: Status }) {
  const alert = status.kind === 'error' || status.kind === 'warning'
  return (
    <div
      className={`status status--${status.kind}`}
      data-testid="status"
      data-kind={status.kind}
      data-seq={status.seq}
      role={alert ? 'alert' : 'status'}
      aria-live={alert ? 'assertive' : 'polite'}
    >
      {status.text}
    </div>
  )
}
