/**
 * The main thread's door to the scan parser worker: Promises in, transferred buffers across.
 */
import type { Modality, Volume } from '../../volume/volume'
import type { NamedBytes } from '../files/sortDroppedFiles'
import type { ParserRequest, ParserResponse } from './protocol'

type Pending = { resolve: (r: ParserResponse) => void; reject: (e: Error) => void }

/** Distributive Omit, so each member of the request union keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

export interface ParsedNifti {
  readonly volume: Volume
  readonly frameCount: number
  readonly orientationSource: 'sform' | 'qform' | 'none'
}

export class ScanParserClient {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()

  async readNifti(name: string, bytes: Uint8Array, options: { imageBytes?: Uint8Array; modality?: Modality } = {}): Promise<ParsedNifti> {
    const transfer = [bytes.buffer, options.imageBytes?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)
    const response = await this.request({ type: 'read-nifti', name, bytes, ...options }, transfer)
    if (response.type !== 'nifti') throw new Error(`unexpected parser reply ${response.type}`)
    return response
  }

  async unzip(archive: NamedBytes): Promise<NamedBytes[]> {
    const response = await this.request({ type: 'unzip', archive }, [archive.bytes.buffer as ArrayBuffer])
    if (response.type !== 'unzipped') throw new Error(`unexpected parser reply ${response.type}`)
    return response.entries
  }

  dispose(): void {
    this.worker?.terminate()
    this.worker = null
    for (const p of this.pending.values()) p.reject(new Error('the scan parser was closed'))
    this.pending.clear()
  }

  private request(message: WithoutId<ParserRequest>, transfer: ArrayBuffer[]): Promise<ParserResponse> {
    const worker = this.ensureWorker()
    const id = this.nextId++
    return new Promise<ParserResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ ...message, id }, [...new Set(transfer)])
    }).then((response) => {
      if (response.type === 'failed') throw new Error(response.message)
      return response
    })
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(new URL('./scanParser.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (event: MessageEvent<ParserResponse>) => {
      const pending = this.pending.get(event.data.id)
      this.pending.delete(event.data.id)
      pending?.resolve(event.data)
    }
    worker.onerror = (event) => {
      // A crash inside the worker (e.g. out of memory on a huge file) fails every request in flight.
      event.preventDefault()
      const error = new Error(`the scan parser stopped: ${event.message || 'out of memory or a browser error'}`)
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
      this.worker?.terminate()
      this.worker = null
    }
    this.worker = worker
    return worker
  }
}
