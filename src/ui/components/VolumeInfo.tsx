import { formatDims, formatSpacing } from '../../volume/volume'
import type { ScanSummary } from '../state/session'

export function VolumeInfo({ scan }: { readonly scan: ScanSummary | null }) {
  if (!scan) return <section className="panel" data-testid="volume-info">No scan open.</section>
  return (
    <section className="panel" data-testid="volume-info" data-dims={formatDims(scan.dims)} data-modality={scan.modality}>
      <h2>{scan.label}</h2>
      <dl>
        <dt>Dimensions</dt>
        <dd>{formatDims(scan.dims)} voxels</dd>
        <dt>Voxel size</dt>
        <dd>{formatSpacing(scan.spacing)}</dd>
        <dt>Modality</dt>
        <dd>{scan.modality === 'unknown' ? 'unknown' : scan.modality}</dd>
        <dt>Data type</dt>
        <dd>{scan.datatype}</dd>
        <dt>Orientation</dt>
        <dd>{scan.orientation}</dd>
      </dl>
    </section>
  )
}
