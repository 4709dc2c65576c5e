/**
 * The installed, offline app: registers the service worker (built app only; the dev server has none), says
 * when everything is cached for use without a network, offers a new version when one is waiting (the user
 * decides when: a reload mid-correction would lose work), and offers installation when the browser allows it.
 */
import { useCallback, useEffect, useState } from 'react'
import { useRegisterSW } from 'virtual:pwa-register/react'

export interface OfflineApp {
  /** Every file the app needs (shell, workers, WASM, models) is cached: it works without a network. */
  readonly readyOffline: boolean
  readonly updateWaiting: boolean
  applyUpdate(): void
  readonly canInstall: boolean
  install(): void
}

/** Chromium's install prompt event (not in the DOM typings). */
interface InstallPromptEvent extends Event {
  prompt(): Promise<void>
}

export function useOfflineApp(): OfflineApp {
  const [activeWorker, setActiveWorker] = useState(false)
  const {
    offlineReady: [offlineReady],
    needRefresh: [updateWaiting],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    // A worker that is already active finished precaching before it activated (a later visit).
    onRegisteredSW: (_url, registration) => setActiveWorker(Boolean(registration?.active)),
  })
  const [installPrompt, setInstallPrompt] = useState<InstallPromptEvent | null>(null)

  useEffect(() => {
    const offer = (event: Event) => {
      event.preventDefault() // show our button instead of the browser's mini bar
      setInstallPrompt(event as InstallPromptEvent)
    }
    const installed = () => setInstallPrompt(null)
    window.addEventListener('beforeinstallprompt', offer)
    window.addEventListener('appinstalled', installed)
    return () => {
      window.removeEventListener('beforeinstallprompt', offer)
      window.removeEventListener('appinstalled', installed)
    }
  }, [])

  const install = useCallback(() => {
    void installPrompt?.prompt().finally(() => setInstallPrompt(null))
  }, [installPrompt])

  return {
    readyOffline: offlineReady || activeWorker,
    updateWaiting,
    applyUpdate: () => void updateServiceWorker(true),
    canInstall: installPrompt !== null,
    install,
  }
}
