import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { obliqueScan, thresholdModel } from '../../testing/pipelineFixtures'
import type { ModelCard } from '../pipeline/modelCard'
import { checkResult } from '../pipeline/resultCheck'
import { planRun } from '../pipeline/runPlan'
import { segmentVolume } from '../pipeline/segmentVolume'
import { selectBackend } from '../training/backend/selectBackend'
import type { BackendInfo, BackendName, ModelSource } from './protocol'
import { Segmenter, type Backends, type ModelRequest } from './segmenter'

/** The bundled card with one model call per batch (no mirror averaging), so that a fault injected at the n-th batch lands there, and no brain step (its own test below). */
const card: ModelCard = { ...JSON.parse(readFileSync('models/mr/model-card.json', 'utf8')), threshold: 0.5, mirrorAveraging: false, brainMask: undefined, input: { plane: 'axial', orientation: 'RAS', spacingMm: 1.5, sizeMultiple: 16, trainingSize: 32 } }
const source: ModelSource = { kind: 'url', modelUrl: 'test/model.json', cardUrl: 'test/model-card.json' }
const request = (backend: BackendName | null = null): ModelRequest => ({ modelKey: 'test:threshold', model: source, backend })
const TEXTURE_LIMIT = 'Requested texture size [20480x4096] greater than WebGL maximum on this browser / GPU [16384x16384].'

/**
 * Backends as the test says: each "starts" under its name (tfjs runs WASM underneath), the GPU ones report what the
 * test makes them report, and a broken one hands over to the next.
 */
class TestBackends implements Backends {
  trouble: string | null = null
  readonly started: string[] = []
  private active: BackendName = 'webgpu'
  async start(requested: BackendName | null): Promise<BackendInfo> {
    this.active = requested ?? this.active
    this.started.push(this.active)
    return { name: this.active, detail: 'test', fallbacks: [] }
  }
  async startNext(reason: string): Promise<BackendInfo> {
    this.trouble = null
    this.active = this.active === 'webgpu' ? 'webgl' : 'wasm'
    return { name: this.active, detail: 'test', fallbacks: [reason] }
  }
  reportedTrouble(): string | null {
    return this.trouble
  }
}

/** A loader of threshold models whose predict first runs `fault` on each batch (a test's injected failure). */
function loader(fault: (batch: number) => void = () => {}) {
  const loads: tf.LayersModel[] = []
  const load = async () => {
    const model = thresholdModel()
    const predict = model.predict.bind(model)
    model.predict = (x, args) => {
      fault((x as tf.Tensor).shape[0]!)
      return predict(x, args)
    }
    loads.push(model)
    return { model, card }
  }
  return { load, loads }
}

describe('Segmenter', () => {
  let expected: number[]
  beforeAll(async () => {
    await selectBackend('wasm')
    const model = thresholdModel()
    const scan = obliqueScan()
    expected = Array.from((await segmentVolume(scan, model, card, planRun(scan, 'wasm'))).mask.data)
    model.dispose()
    expect(expected).toContain(1)
  })
  afterEach(() => expect(tf.memory().numTensors).toBe(0))

  it('loads a model once per model and backend, and segments the scan it holds as segmentVolume does', async () => {
    const { load, loads } = loader()
    const segmenter = new Segmenter(new TestBackends(), load)
    segmenter.holdScan('scan-1', obliqueScan())
    const prepared = await segmenter.prepare(request())
    expect(prepared).toEqual({ backend: { name: 'webgpu', detail: 'test', fallbacks: [] }, card })
    const progress: number[] = []
    const result = await segmenter.segment({ ...request(), scanKey: 'scan-1', contrast: null }, new AbortController().signal, (p) => progress.push(p.slicesDone))
    expect(Array.from(result.mask.data)).toEqual(expected)
    expect(result).toMatchObject({ slicesRun: 17, notices: [], backend: { name: 'webgpu' }, card })
    expect(result.check).toEqual(checkResult(obliqueScan(), result.mask, card.normalization))
    expect(progress.at(-1)).toBe(17)
    expect(loads).toHaveLength(1)
    await segmenter.prepare(request('wasm'))
    expect(loads).toHaveLength(2) // another backend: loaded and warmed up there
    expect(tf.memory().numTensors).toBe(2) // the second model's kernel and bias: the first one's were disposed
    segmenter.dispose()
  })

  it('runs the brain model the card names first, passes on what it says, and frees it with the model', async () => {
    const brainMask = { model: '../brain', dilationMm: 4, minShareInside: 0.5 }
    const load = async () => ({ model: thresholdModel(), card: { ...card, brainMask }, brain: { model: thresholdModel(), card } })
    const segmenter = new Segmenter(new TestBackends(), load)
    segmenter.holdScan('scan-1', obliqueScan())
    const result = await segmenter.segment({ ...request(), scanKey: 'scan-1', contrast: null }, new AbortController().signal, () => {})
    expect(Array.from(result.mask.data)).toEqual(expected) // 5 mL of head: no brain outline, so nothing dropped
    expect(result.notices).toEqual([expect.stringMatching(/^The brain could not be outlined on this scan \(\d+ mL found\), so marks were not checked against the brain$/)])
    expect(tf.memory().numTensors).toBe(4) // two models' kernels and biases
    segmenter.dispose()
  })

  it('refuses a scan it does not hold, by name', async () => {
    const segmenter = new Segmenter(new TestBackends(), loader().load)
    segmenter.holdScan('scan-2', obliqueScan())
    await expect(segmenter.segment({ ...request(), scanKey: 'scan-1', contrast: null }, new AbortController().signal, () => {})).rejects.toThrow('the scan to segment (scan-1) is not the one the worker holds (scan-2)')
    segmenter.holdScan(null, null)
    await expect(segmenter.segment({ ...request(), scanKey: 'scan-2', contrast: null }, new AbortController().signal, () => {})).rejects.toThrow('(none)')
    segmenter.dispose()
  })

  it('halves the batch after a limit failure, and says so', async () => {
    const { load } = loader((batch) => {
      if (batch > 4) throw new Error(TEXTURE_LIMIT) // the warm-up's batches are smaller
    })
    const segmenter = new Segmenter(new TestBackends(), load)
    segmenter.holdScan('scan-1', obliqueScan())
    const result = await segmenter.segment({ ...request('webgl'), scanKey: 'scan-1', contrast: null }, new AbortController().signal, () => {})
    expect(Array.from(result.mask.data)).toEqual(expected)
    expect(result.notices).toEqual([`webgl failed with 8 slices per batch (${TEXTURE_LIMIT}); tried 4`])
    segmenter.dispose()
  })

  it('runs once more on the next backend when the GPU is lost mid-run, and says what happened', async () => {
    const backends = new TestBackends()
    let batches = 0
    const { load, loads } = loader(() => {
      if (++batches === 3) {
        backends.trouble = 'the GPU device was lost (destroyed)'
        throw new DOMException('mapAsync aborted', 'AbortError')
      }
    })
    const segmenter = new Segmenter(backends, load)
    segmenter.holdScan('scan-1', obliqueScan())
    await segmenter.prepare(request())
    const result = await segmenter.segment({ ...request(), scanKey: 'scan-1', contrast: null }, new AbortController().signal, () => {})
    expect(Array.from(result.mask.data)).toEqual(expected)
    expect(result.notices).toEqual(['the GPU device was lost (destroyed) on webgpu; segmented again on webgl'])
    expect(result.backend.name).toBe('webgl')
    expect(loads).toHaveLength(2)
    segmenter.dispose()
  })

  it("tells the user's cancel from a backend that stopped", async () => {
    const segmenter = new Segmenter(new TestBackends(), loader().load)
    segmenter.holdScan('scan-1', obliqueScan())
    const controller = new AbortController()
    const cancelled = segmenter.segment({ ...request(), scanKey: 'scan-1', contrast: null }, controller.signal, () => controller.abort())
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError', message: 'segmentation cancelled' })
    const stopping = new Segmenter(new TestBackends(), loader(() => {
      throw new DOMException('the read was aborted', 'AbortError')
    }).load)
    stopping.holdScan('scan-1', obliqueScan())
    // The warm-up meets the failure first, on each backend: not a cancellation, and no model is left loaded.
    await expect(stopping.segment({ ...request(), scanKey: 'scan-1', contrast: null }, new AbortController().signal, () => {})).rejects.toThrow('the tfjs backend stopped: the read was aborted')
    segmenter.dispose()
    stopping.dispose()
  })
})
