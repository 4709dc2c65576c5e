import type { OfflineApp } from '../hooks/useOfflineApp'

/** Offline readiness, a waiting new version and installation, in the header. */
export function OfflineStatus({ app }: { readonly app: OfflineApp }) {
  return (
    <div className="offline-status">
      {import.meta.env.DEV ? (
        <span className="badge" data-testid="offline-dev" title="The development server registers no service worker: build and preview for offline use.">
          Development server: not cached offline
        </span>
      ) : app.readyOffline ? (
        <span className="badge badge--ok" data-testid="offline-ready" title="Everything is on this device: it works without a network.">
          Ready offline
        </span>
      ) : (
        <span className="badge" data-testid="offline-pending" title="Saving the app and its models on this device…">
          Preparing offline use…
        </span>
      )}
      {app.updateWaiting && (
        <button type="button" className="button" data-testid="update-button" onClick={app.applyUpdate} title="Reloads the page: save your mask first">
          New version: reload
        </button>
      )}
      {app.canInstall && (
        <button type="button" className="button" data-testid="install-button" onClick={app.install}>
          Install app
        </button>
      )}
    </div>
  )
}
