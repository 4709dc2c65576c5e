/**
 * The main thread's door to the scan parser worker: Promises in, transferred buffers across.
 */
import type { Modality, Volume } from '../../volume/volume'
import type { DiffusionReading } from '../nifti/diffusion'
import type { NamedBytes } from '../files/sortDroppedFiles'
import { WorkerChannel, type WithoutId } from '../../worker/workerChannel'
import type { ParserRequest, ParserResponse } from './protocol'

export interface ParsedNifti {
  readonly volume: Volume
  readonly frameCount: number
  readonly orientationSource: 'sform' | 'qform' | 'none'
  readonly diffusion: DiffusionReading | null
}

export class ScanParserClient {
  private readonly channel = new WorkerChannel<ParserRequest, ParserResponse>(
    () => new Worker(new URL('./scanParser.worker.ts', import.meta.url), { type: 'module' }),
    'scan parser',
  )

  async readNifti(name: string, bytes: Uint8Array, options: { imageBytes?: Uint8Array; modality?: Modality; bValues?: readonly number[] } = {}): Promise<ParsedNifti> {
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
    this.channel.dispose()
  }

  private async request(message: WithoutId<ParserRequest>, transfer: ArrayBuffer[]): Promise<ParserResponse> {
    const response = await this.channel.request(message, [...new Set(transfer)]).reply
    if (response.type === 'failed') throw new Error(response.message)
    return response
  }
}
