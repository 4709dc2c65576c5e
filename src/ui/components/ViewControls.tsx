import { VIEW_LAYOUTS, type ViewLayout } from '../../viewer/ScanViewer'

const LABELS: Readonly<Record<ViewLayout, string>> = {
  axial: 'Axial',
  coronal: 'Coronal',
  sagittal: 'Sagittal',
  multiplanar: 'Multiplanar',
  render: '3D',
}

interface Props {
  readonly layout: ViewLayout
  readonly onLayout: (layout: ViewLayout) => void
}

export function ViewControls({ layout, onLayout }: Props) {
  return (
    <div className="segmented" role="group" aria-label="View">
      {VIEW_LAYOUTS.map((l) => (
        <button key={l} type="button" aria-pressed={l === layout} data-testid={`view-${l}`} onClick={() => onLayout(l)}>
          {LABELS[l]}
        </button>
      ))}
    </div>
  )
}
