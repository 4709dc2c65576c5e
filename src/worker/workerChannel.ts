/**
 * Request/response over a module Web Worker: each request gets an id, its replies come back to it, and a
 * crash of the worker (out of memory, a browser error) fails every request in flight and starts a fresh
 * worker on the next one. Used by the scan parser and the segmentation clients.
 */

/** Distributive Omit, so each member of a request union keeps its own fields. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

interface Pending<Response> {
  resolve: (response: Response) => void
  reject: (error: Error) => void
  /** Replies that do not settle the request (e.g. progress). */
  onInterim?: (response: Response) => void
}

export class WorkerChannel<Request extends { id: number }, Response extends { id: number; type: string }> {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending<Response>>()
  /** The message each worker must have had before any request (see `standing`). */
  private standingMessage: WithoutId<Request> | null = null

  /**
   * @param createWorker makes the worker (called lazily, and again after a crash)
   * @param isInterim replies that leave the request open
   * @param what names the worker in errors, e.g. 'scan parser'
   */
  constructor(
    private readonly createWorker: () => Worker,
    private readonly what: string,
    private readonly isInterim: (response: Response) => boolean = () => false,
  ) {}

  /** Sends a request; the Promise settles with its final reply. */
  request(message: WithoutId<Request>, transfer: Transferable[] = [], onInterim?: (response: Response) => void): { id: number; reply: Promise<Response> } {
    const worker = this.ensureWorker()
    const id = this.nextId++
    const reply = new Promise<Response>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onInterim })
      worker.postMessage({ ...message, id }, transfer)
    })
    return { id, reply }
  }

  /** Sends a message that expects no reply (e.g. a cancel). */
  notify(message: WithoutId<Request>): void {
    this.worker?.postMessage({ ...message, id: this.nextId++ })
  }

  /**
   * Sends `message` (no reply expected) to the running worker, and first to each worker started after a crash,
   * so that state the worker holds (e.g. the open scan) survives a restart. The latest standing message counts.
   */
  standing(message: WithoutId<Request>): void {
    this.standingMessage = message
    this.notify(message)
  }

  /** Settles a request now with `error`; a later reply to it is dropped. False when it was not pending. */
  abandon(id: number, error: Error): boolean {
    const pending = this.pending.get(id)
    if (!pending) return false
    this.pending.delete(id)
    pending.reject(error)
    return true
  }

  dispose(): void {
    this.standingMessage = null
    this.worker?.terminate()
    this.worker = null
    this.failAll(new Error(`the ${this.what} was closed`))
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error)
    this.pending.clear()
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = this.createWorker()
    worker.onmessage = (event: MessageEvent<Response>) => {
      const response = event.data
      const pending = this.pending.get(response.id)
      if (!pending) return
      if (this.isInterim(response)) return pending.onInterim?.(response)
      this.pending.delete(response.id)
      pending.resolve(response)
    }
    worker.onerror = (event) => {
      event.preventDefault()
      this.failAll(new Error(`the ${this.what} stopped: ${event.message || 'out of memory or a browser error'}`))
      this.worker?.terminate()
      this.worker = null
    }
    this.worker = worker
    if (this.standingMessage) worker.postMessage({ ...this.standingMessage, id: this.nextId++ })
    return worker
  }
}
