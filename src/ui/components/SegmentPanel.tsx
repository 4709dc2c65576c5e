import { useState } from 'react'
import { BUNDLED_MODELS } from '../../pipeline/bundledModels'
import { intendedUseNotice, modelFitNotice, realScanSummary, leftOutNotice } from '../../pipeline/modelCard'
import { BACKEND_ORDER, type BackendName } from '../../worker/protocol'
import { OWN_MODEL, type ModelPick, type SegmentationState } from '../hooks/useSegmentation'

const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU (GPU)', webgl: 'WebGL (GPU)', wasm: 'WASM (CPU)' }

interface Props {
  readonly state: SegmentationState
  readonly hasScan: boolean
  /** The open scan's modality (from DICOM, or guessed from its values), or null without a scan. */
  readonly scanModality: 'CT' | 'MR' | null
  /** Corrections the user made to the mask on screen: a new segmentation would replace them, so it asks first. */
  readonly corrections: number
  readonly onSegment: () => void
  readonly onCancel: () => void
  readonly onPickModel: (pick: ModelPick) => void
  readonly onPickBackend: (backend: BackendName | null) => void
  readonly onOwnModel: (files: File[]) => void
}

export function SegmentPanel({ state, hasScan, scanModality, corrections, onSegment, onCancel, onPickModel, onPickBackend, onOwnModel }: Props) {
  const running = state.phase === 'running'
  const [confirming, setConfirming] = useState(false)
  const { card, backend } = state
  const fitNotice = card && scanModality ? modelFitNotice(card, scanModality) : null
  return (
    <section className="panel" data-testid="segment-panel" data-phase={state.phase} data-run={state.started}>
      <h3>Segmentation</h3>
      <label className="select">
        Model{' '}
        <select value={state.modelPick} data-testid="model-picker" disabled={running} onChange={(e) => onPickModel(e.currentTarget.value as ModelPick)}>
          <option value="auto">Automatic{state.modelId && state.modelPick === 'auto' ? ` (${state.modelId})` : ''}</option>
          {BUNDLED_MODELS.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
          {state.ownModelName && <option value={OWN_MODEL}>Your model ({state.ownModelName})</option>}
        </select>
      </label>
      {state.automatic && (
        <p className="hint" data-testid="model-reason">
          {state.modelPick === 'auto' ? 'Chosen' : `Automatic would choose ${state.automatic.modelId},`} for {state.automatic.reason}.
        </p>
      )}
      {state.contrastNotice && (
        <p className="warning" data-testid="contrast-fit">
          {state.contrastNotice}
        </p>
      )}
      <label className="select">
        Backend{' '}
        <select
          value={state.backendPick ?? 'auto'}
          data-testid="backend-picker"
          disabled={running}
          onChange={(e) => onPickBackend(BACKEND_ORDER.find((b) => b === e.currentTarget.value) ?? null)}
        >
          <option value="auto">Fastest here{state.backendPick === null && backend ? ` (${backend.name})` : ''}</option>
          {BACKEND_ORDER.map((b) => (
            <option key={b} value={b}>
              {BACKEND_LABELS[b]}
            </option>
          ))}
        </select>
      </label>
      <label className="button button--small" title="model.json, its weight files (.bin) and model-card.json, chosen together">
        Load your model…
        <input
          type="file"
          multiple
          accept=".json,.bin"
          data-testid="model-input"
          disabled={running}
          onChange={(e) => {
            onOwnModel(Array.from(e.currentTarget.files ?? []))
            e.currentTarget.value = ''
          }}
        />
      </label>
      <div className="buttons">
        <button
          type="button"
          data-testid="segment-button"
          disabled={!hasScan || running || state.phase === 'preparing' || confirming}
          onClick={() => (corrections > 0 ? setConfirming(true) : onSegment())}
        >
          Segment
        </button>
        <button type="button" data-testid="cancel-button" disabled={!running} onClick={onCancel}>
          Cancel
        </button>
      </div>
      {confirming && (
        <div className="warning" role="alertdialog" aria-label="Replace the corrected mask?" data-testid="resegment-confirm">
          <p>
            A new segmentation replaces the mask on screen and your {corrections} {corrections === 1 ? 'correction' : 'corrections'}. Export the
            mask first to keep it.
          </p>
          <div className="buttons">
            <button type="button" data-testid="confirm-resegment" onClick={() => {
                setConfirming(false)
                onSegment()
              }}
            >
              Replace it
            </button>
            <button type="button" data-testid="keep-mask" onClick={() => setConfirming(false)}>
              Keep my mask
            </button>
          </div>
        </div>
      )}
      <progress data-testid="progress" max={Math.max(1, state.slicesTotal)} value={state.slicesDone} data-done={state.slicesDone} data-total={state.slicesTotal} />
      <p className="hint" data-testid="progress-text">
        {running
          ? `${state.slicesDone} of ${state.slicesTotal || '…'} slices${state.secondsLeft === null ? '' : `, about ${Math.ceil(state.secondsLeft)} s left`}`
          : state.message}
      </p>
      {state.warning && state.phase === 'done' && (
        <p className="warning" role="alert" data-testid="result-warning">
          {state.warning}
        </p>
      )}
      <p data-testid="backend" data-backend={backend?.name ?? ''}>
        {backend ? `Runs on ${backend.name} (${backend.detail})` : 'Backend: not started'}
        {backend && backend.fallbacks.length > 0 && <span className="hint"> — not used: {backend.fallbacks.join('; ')}</span>}
      </p>
      {card && (
        <div className="model-card" data-testid="model-card" data-origin={card.training.dataOrigin}>
          <p>
            <strong>{card.name}</strong>: {card.architecture.name}, {card.modality} ({card.contrast}), trained on {card.training.dataDescription} (
            {card.training.subjects.train > 0 ? `${card.training.subjects.train} subjects` : `${String(card.training.steps ?? 'unknown')} training steps`}). Test Dice on
            held-out {card.training.dataOrigin} data {card.metrics.test ? card.metrics.test.dice.toFixed(3) : 'not measured'}.
          </p>
          <p data-testid="model-card-real">{realScanSummary(card)}</p>
          {leftOutNotice(card) && <p data-testid="model-card-left-out">{leftOutNotice(card)}</p>}
          {fitNotice && (
            <p className="warning" data-testid="model-fit">
              {fitNotice}
            </p>
          )}
          <p className="warning">{intendedUseNotice(card)}</p>
        </div>
      )}
    </section>
  )
}
