/**
 * Segmentation in the UI: which model and backend, preparing the model when a scan opens (off the
 * critical path), running it in the worker with progress and time left, cancelling, and handing the mask
 * to the session. Components get plain state and callbacks; tfjs stays in the worker.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { bundledModelFor } from '../../pipeline/bundledModels'
import { contrastFitNotice, type ModelCard } from '../../pipeline/modelCard'
import { resultWarning } from '../../pipeline/resultCheck'
import { BACKEND_ORDER, type BackendInfo, type BackendName } from '../../worker/protocol'
import { bundledModel, modelFromFiles, SegmentationClient, type ModelChoice, type SegmentationRun } from '../../worker/segmentationClient'
import type { ScanSession } from '../session/sessionActions'

/** 'auto' (by the scan's modality and contrast), a bundled model id, or 'own' (the model the user loaded). */
export type ModelPick = string

export const OWN_MODEL = 'own'

interface Prepared {
  readonly modelId: string
  readonly backendPick: BackendName | null
  readonly backend: BackendInfo | null
  readonly card: ModelCard | null
  readonly error: string | null
}

interface Run {
  readonly phase: 'idle' | 'running' | 'done' | 'cancelled' | 'failed'
  readonly slicesDone: number
  readonly slicesTotal: number
  readonly secondsLeft: number | null
  readonly message: string
  /** What cannot be right about the last result, for the user; null when nothing looks wrong. */
  readonly warning: string | null
  /** Runs started since the page opened (automation waits for a new one to end). */
  readonly started: number
  /** Tensors alive in the worker after the last run (the model's weights): steady across runs. */
  readonly workerTensors: number | null
}

export interface SegmentationState extends Omit<Run, 'phase'> {
  readonly phase: Run['phase'] | 'preparing' | 'ready'
  /** The backend the user asked for, or null: the worker's choice (`backend` says which runs). */
  readonly backendPick: BackendName | null
  readonly modelPick: ModelPick
  /** The model the scan gets: the pick, or the bundled one for its modality and contrast. */
  readonly modelId: string | null
  /** The model 'auto' gives the scan and why, e.g. "an MR scan, ADC by its file name "x_adc.nii"" (bundledModels.ts). */
  readonly automatic: { readonly modelId: string; readonly reason: string } | null
  /** A warning when the scan's contrast does not fit the model in use (modelCard.ts: contrastFitNotice). */
  readonly contrastNotice: string | null
  /** The user's own model files, once loaded. */
  readonly ownModelName: string | null
  readonly card: ModelCard | null
  readonly backend: BackendInfo | null
}

const IDLE: Run = { phase: 'idle', slicesDone: 0, slicesTotal: 0, secondsLeft: null, message: '', warning: null, started: 0, workerTensors: null }

/** ?backend=webgpu|webgl|wasm picks a backend at start; otherwise (null) the worker chooses (browserBackend.ts). */
function backendFromAddress(): BackendName | null {
  const value = new URLSearchParams(window.location.search).get('backend')
  return BACKEND_ORDER.find((b) => b === value) ?? null
}

export interface SegmentationControls {
  readonly state: SegmentationState
  segment(): Promise<void>
  cancel(): void
  pickModel(pick: ModelPick): void
  /** A backend the user asked for, or null for the automatic choice. */
  pickBackend(backend: BackendName | null): void
  /** Uses the user's model (model.json, weights, model-card.json) from now on. */
  loadOwnModel(files: readonly File[]): void
}

export function useSegmentation(session: ScanSession): SegmentationControls {
  const [modelPick, setModelPick] = useState<ModelPick>('auto')
  const [prepared, setPrepared] = useState<Prepared | null>(null)
  const [run, setRun] = useState<Run>(IDLE)
  const [ownModel, setOwnModel] = useState<{ choice: ModelChoice; name: string } | null>(null)
  const client = useMemo(() => new SegmentationClient(), [])
  const [backend, setBackend] = useState<BackendName | null>(backendFromAddress)
  const runRef = useRef<SegmentationRun | null>(null)
  const scan = session.state.scan
  const { current: openVolumes, showMask } = session
  const auto = scan ? bundledModelFor(scan.likelyModality, scan.contrast) : null
  const contrast = scan?.contrast?.contrast ?? null // told to a model with contrast channels
  const modelId = auto ? (modelPick === 'auto' ? auto.model.id : modelPick) : null
  useEffect(() => () => client.dispose(), [client])
  const choiceFor = useCallback((id: string) => (id === OWN_MODEL && ownModel ? ownModel.choice : bundledModel(id)), [ownModel])

  // A new scan: the last run's outcome was about the old one.
  useEffect(() => setRun((r) => (r.phase === 'running' ? r : { ...IDLE, started: r.started, workerTensors: r.workerTensors })), [scan])

  // A new scan or model: load and warm up the model in the worker, for this scan, while the user looks at it.
  useEffect(() => {
    if (!modelId) return
    let current = true
    client.prepare(choiceFor(modelId), backend, openVolumes().scan).then(
      (ready) => current && setPrepared({ modelId, backendPick: backend, backend: ready.backend, card: ready.card, error: null }),
      (e: Error) => current && setPrepared({ modelId, backendPick: backend, backend: null, card: null, error: `The model could not be loaded: ${e.message}` }),
    )
    return () => {
      current = false
    }
  }, [scan, modelId, client, backend, choiceFor, openVolumes])

  const segment = useCallback(async () => {
    const volume = openVolumes().scan
    if (!volume || !modelId || runRef.current) return
    const started = performance.now()
    setRun((r) => ({ ...r, phase: 'running', slicesDone: 0, slicesTotal: 0, secondsLeft: null, message: '', warning: null, started: r.started + 1 }))
    const running = client.segment(volume, contrast, choiceFor(modelId), backend, (done, total) => {
      const elapsed = (performance.now() - started) / 1000
      setRun((r) => ({ ...r, slicesDone: done, slicesTotal: total, secondsLeft: done > 0 ? (elapsed / done) * (total - done) : null }))
    })
    runRef.current = running
    try {
      const result = await running.result
      if (openVolumes().scan !== volume) {
        setRun((r) => ({ ...r, phase: 'idle', message: `The segmentation of ${volume.name} ended after another scan was opened; it was not applied.` }))
        return
      }
      showMask(result.mask, { label: `segmentation (${result.card.name})`, origin: 'segmentation', model: result.card })
      setPrepared((p) => p && { ...p, backend: result.backend }) // a failed GPU hands over to the next backend
      const notices = result.notices.map((n) => ` ${n[0].toUpperCase()}${n.slice(1)}.`).join('')
      setRun((r) => ({
        ...r,
        phase: 'done',
        workerTensors: result.tensorsAfter,
        warning: resultWarning(result.check, result.card.name),
        message: `Segmented ${result.slicesRun} slices in ${result.seconds.toFixed(1)} s on ${result.backend.name}.${notices}`,
      }))
    } catch (e) {
      const error = e as Error
      const cancelled = error.name === 'AbortError'
      setRun((r) => ({ ...r, phase: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'Segmentation cancelled; the scan is unchanged.' : `Segmentation failed: ${error.message}` }))
    } finally {
      runRef.current = null
    }
  }, [client, backend, openVolumes, showMask, modelId, choiceFor, contrast])

  const ready = prepared !== null && prepared.modelId === modelId && prepared.backendPick === backend
  const phase: SegmentationState['phase'] = run.phase === 'running' ? 'running' : !ready && modelId ? 'preparing' : run.phase === 'idle' ? 'ready' : run.phase
  const state: SegmentationState = {
    ...run,
    phase,
    message: ready && prepared.error && run.phase !== 'running' ? prepared.error : phase === 'preparing' ? 'Loading the model…' : run.message,
    modelPick,
    backendPick: backend,
    modelId,
    automatic: auto && { modelId: auto.model.id, reason: auto.reason },
    contrastNotice: scan?.likelyModality === 'MR' && ready && prepared.card ? contrastFitNotice(prepared.card, scan.contrast) : null,
    ownModelName: ownModel?.name ?? null,
    card: ready ? prepared.card : null,
    backend: ready ? prepared.backend : null,
  }
  const loadOwnModel = (files: readonly File[]) => {
    try {
      const choice = modelFromFiles(files)
      setOwnModel({ choice, name: choice.source.kind === 'files' ? choice.source.modelJson.name : 'model.json' })
      setModelPick(OWN_MODEL)
      setPrepared(null)
    } catch (e) {
      setRun((r) => ({ ...r, phase: 'failed', message: `Your model was not loaded: ${(e as Error).message}` }))
    }
  }
  return { state, segment, cancel: () => runRef.current?.cancel(), pickModel: setModelPick, pickBackend: setBackend, loadOwnModel }
}
