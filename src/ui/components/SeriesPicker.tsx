interface Props {
  readonly labels: readonly string[]
  readonly onChoose: (index: number) => void
}

/** Shown when one drop holds several scans (e.g. several DICOM series). */
export function SeriesPicker({ labels, onChoose }: Props) {
  return (
    <section className="panel series-picker" data-testid="series-picker">
      <h3>Choose a scan</h3>
      <ul>
        {labels.map((label, i) => (
          <li key={label + i}>
            <button type="button" data-testid={`series-${i}`} onClick={() => onChoose(i)}>
              {label}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
