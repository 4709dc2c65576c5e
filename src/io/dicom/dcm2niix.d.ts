// @niivue/dcm2niix 1.2.0 ships no type declarations; this covers the part StrokeSeg uses.
declare module '@niivue/dcm2niix' {
  export interface Dcm2niixProcessor {
    /** -b: BIDS JSON sidecar (y/n/o) */
    b(value: 'y' | 'n' | 'o'): Dcm2niixProcessor
    /** -z: gzip output (y/n/i/o) */
    z(value: 'y' | 'n' | 'i' | 'o'): Dcm2niixProcessor
    /** -f: output file name pattern */
    f(value: string): Dcm2niixProcessor
    /** Resolves with the output files on exit code 0 or 3; rejects otherwise. */
    run(): Promise<File[]>
  }
  export class Dcm2niix {
    worker: Worker | null
    init(): Promise<boolean>
    input(files: File[]): Dcm2niixProcessor
  }
}
