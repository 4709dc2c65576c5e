import { useState, type ReactNode } from 'react'
import type { DroppedFile } from '../../io/openScanFiles'
import { filesFromDataTransfer } from '../dropTransfer'

interface Props {
  readonly onFiles: (files: DroppedFile[]) => void
  readonly empty: boolean
  readonly children: ReactNode
}

/**
 * The whole viewer area accepts drops. Handlers run in the capture phase: niivue's canvas stops
 * the bubbling drop event.
 */
export function DropTarget({ onFiles, empty, children }: Props) {
  const [over, setOver] = useState(false)
  return (
    <div
      className={`drop-target${over ? ' drop-target--over' : ''}`}
      data-testid="drop-target"
      onDragOverCapture={(e) => {
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
        setOver(true)
      }}
      onDragLeaveCapture={() => setOver(false)}
      onDropCapture={(e) => {
        e.preventDefault()
        e.stopPropagation()
        setOver(false)
        void filesFromDataTransfer(e.dataTransfer).then(onFiles)
      }}
    >
      {children}
      {(empty || over) && (
        <div className="drop-target__hint" aria-hidden={!empty}>
          <p className="drop-target__title">Drop a scan here</p>
          <p>NIfTI (.nii, .nii.gz, .hdr + .img), DICOM files, a DICOM folder, or a .zip of DICOM</p>
          <p className="drop-target__privacy">Files are read in this browser and never uploaded.</p>
        </div>
      )}
    </div>
  )
}
