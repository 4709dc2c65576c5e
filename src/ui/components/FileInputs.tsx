import type { ReactNode } from 'react'
import type { DroppedFile } from '../../io/openScanFiles'
import { filesFromInput } from '../dropTransfer'

interface Props {
  readonly onScanFiles: (files: DroppedFile[]) => void
  readonly onMaskFiles: (files: DroppedFile[]) => void
  readonly onReferenceFiles: (files: DroppedFile[]) => void
  readonly canLoadMask: boolean
}

interface PickerProps {
  readonly children: ReactNode
  readonly testId: string
  readonly onFiles: (files: DroppedFile[]) => void
  readonly disabled?: boolean
  /** Picks a whole folder (a DICOM series) instead of files. */
  readonly folder?: boolean
  readonly title?: string
}

/** A button that opens the file chooser; the choice is cleared after each use, so the same file can be chosen again. */
function Picker({ children, testId, onFiles, disabled = false, folder = false, title }: PickerProps) {
  return (
    <label className={`button${disabled ? ' button--disabled' : ''}`} title={title}>
      {children}
      <input
        type="file"
        multiple={!folder}
        data-testid={testId}
        disabled={disabled}
        // React does not type the directory attributes.
        {...(folder ? { webkitdirectory: '', directory: '' } : {})}
        onChange={(e) => {
          onFiles(filesFromInput(e.currentTarget.files))
          e.currentTarget.value = ''
        }}
      />
    </label>
  )
}

/** File pickers: scan files, a DICOM folder, a lesion mask for the open scan, and a second mask to compare with. */
export function FileInputs({ onScanFiles, onMaskFiles, onReferenceFiles, canLoadMask }: Props) {
  return (
    <div className="file-inputs">
      <Picker testId="file-input" onFiles={onScanFiles}>
        Open scan…
      </Picker>
      <Picker testId="folder-input" onFiles={onScanFiles} folder>
        Open DICOM folder…
      </Picker>
      <Picker testId="mask-input" onFiles={onMaskFiles} disabled={!canLoadMask}>
        Load lesion mask…
      </Picker>
      <Picker testId="reference-mask-input" onFiles={onReferenceFiles} disabled={!canLoadMask} title="A second mask (a colleague's, an expert's, an earlier run), shown beside this one and compared with it">
        Compare with mask…
      </Picker>
    </div>
  )
}
