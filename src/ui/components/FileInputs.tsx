import type { DroppedFile } from '../../io/openScanFiles'
import { filesFromInput } from '../dropTransfer'

interface Props {
  readonly onScanFiles: (files: DroppedFile[]) => void
  readonly onMaskFiles: (files: DroppedFile[]) => void
  readonly onReferenceFiles: (files: DroppedFile[]) => void
  readonly canLoadMask: boolean
}

/** File pickers: scan files, a DICOM folder, a lesion mask for the open scan, and a second mask to compare with. */
export function FileInputs({ onScanFiles, onMaskFiles, onReferenceFiles, canLoadMask }: Props) {
  return (
    <div className="file-inputs">
      <label className="button">
        Open scan…
        <input
          type="file"
          multiple
          data-testid="file-input"
          onChange={(e) => {
            onScanFiles(filesFromInput(e.currentTarget.files))
            e.currentTarget.value = ''
          }}
        />
      </label>
      <label className="button">
        Open DICOM folder…
        <input
          type="file"
          data-testid="folder-input"
          // React does not type the directory attributes.
          {...{ webkitdirectory: '', directory: '' }}
          onChange={(e) => {
            onScanFiles(filesFromInput(e.currentTarget.files))
            e.currentTarget.value = ''
          }}
        />
      </label>
      <label className={`button${canLoadMask ? '' : ' button--disabled'}`}>
        Load lesion mask…
        <input
          type="file"
          multiple
          data-testid="mask-input"
          disabled={!canLoadMask}
          onChange={(e) => {
            onMaskFiles(filesFromInput(e.currentTarget.files))
            e.currentTarget.value = ''
          }}
        />
      </label>
      <label className={`button${canLoadMask ? '' : ' button--disabled'}`} title="A second mask (a colleague's, an expert's, an earlier run), shown beside this one and compared with it">
        Compare with mask…
        <input
          type="file"
          multiple
          data-testid="reference-mask-input"
          disabled={!canLoadMask}
          onChange={(e) => {
            onReferenceFiles(filesFromInput(e.currentTarget.files))
            e.currentTarget.value = ''
          }}
        />
      </label>
    </div>
  )
}
