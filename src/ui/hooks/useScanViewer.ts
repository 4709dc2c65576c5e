import { useEffect, useState, type RefObject } from 'react'
import { ScanViewer } from '../../viewer/ScanViewer'

/** Attaches a ScanViewer to the canvas once it is mounted; disposes it on unmount (StrictMode-safe). */
export function useScanViewer(canvasRef: RefObject<HTMLCanvasElement | null>): ScanViewer | null {
  const [viewer, setViewer] = useState<ScanViewer | null>(null)
  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    let cancelled = false
    const attaching = ScanViewer.attach(canvas)
    void attaching.then((v) => {
      if (cancelled) v.dispose()
      else setViewer(v)
    })
    return () => {
      cancelled = true
      void attaching.then((v) => v.dispose())
      setViewer(null)
    }
  }, [canvasRef])
  return viewer
}
