/**
 * Scan parser worker: gunzip, NIfTI decoding and unzip run here, so a 100 MB scan never freezes the page.
 * Only `onmessage`; the work itself is the pure functions it calls.
 */
import { unzipEntries } from '../files/unzipEntries'
import { readNiftiScan } from '../nifti/diffusion'
import type { ParserRequest, ParserResponse } from './protocol'

/** The slice of DedicatedWorkerGlobalScope used here (the DOM lib, not the WebWorker lib, is in scope). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ParserRequest>) => void) | null
  postMessage(message: ParserResponse, transfer: Transferable[]): void
}

scope.onmessage = (event: MessageEvent<ParserRequest>) => {
  const request = event.data
  try {
    switch (request.type) {
      case 'read-nifti': {
        const { volume, frameCount, orientationSource, diffusion } = readNiftiScan(request.bytes, request.name, {
          imageBytes: request.imageBytes,
          modality: request.modality,
          bValues: request.bValues,
        })
        reply({ type: 'nifti', id: request.id, volume, frameCount, orientationSource, diffusion }, [volume.data.buffer as ArrayBuffer])
        break
      }
      case 'unzip': {
        const entries = unzipEntries(request.archive)
        reply({ type: 'unzipped', id: request.id, entries }, entries.map((e) => e.bytes.buffer as ArrayBuffer))
        break
      }
    }
  } catch (e) {
    reply({ type: 'failed', id: request.id, message: (e as Error).message }, [])
  }
}

function reply(response: ParserResponse, transfer: ArrayBuffer[]): void {
  scope.postMessage(response, [...new Set(transfer)])
}
