/** The parts of dcmjs (a kept DICOM library: reading, naturalising, writing) that StrokeSeg uses. */
declare module 'dcmjs' {
  /** A dataset with attributes by keyword (naturalised), sequences as arrays of such datasets. */
  export type NaturalDataset = Record<string, unknown> & { _meta?: Record<string, unknown> }

  export interface DicomDictInstance {
    meta: Record<string, unknown>
    dict: Record<string, unknown>
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer
  }

  export const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string | null; includeUntilTagValue?: boolean; noCopy?: boolean }): DicomDictInstance
    }
    DicomMetaDictionary: {
      naturalizeDataset(dict: Record<string, unknown>): NaturalDataset
      uid(): string
    }
    BitArray: {
      pack(pixels: ArrayLike<number>): Uint8Array
      unpack(packed: ArrayBuffer | Uint8Array): Uint8Array
    }
    datasetToDict(dataset: NaturalDataset): DicomDictInstance
  }
}
