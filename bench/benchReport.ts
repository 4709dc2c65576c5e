/** Markdown tables the benchmarks append to BENCHMARKS.md, and the row an inference measurement makes. */
import { appendFileSync, readdirSync, statSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import type { InferenceTiming } from '../src/pipeline/measureInference'

export type Row = Record<string, string>

export function markdownTable(rows: readonly Row[]): string {
  const headers = Object.keys(rows[0])
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${headers.map((h) => r[h]).join(' | ')} |`)].join('\n')
}

/** "2 x <CPU model>": the machine line every section starts with. */
export function machineName(): string {
  return `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`
}

/** Appends a dated section to BENCHMARKS.md and prints it. */
export function appendBenchSection(title: string, description: string, rows: readonly Row[]): void {
  const section = `\n## ${title}, ${new Date().toISOString().slice(0, 10)}\n${description}\n\n${markdownTable(rows)}\n`
  console.log(section)
  appendFileSync('BENCHMARKS.md', section)
}

export function inferenceRow(scan: string, model: string, backend: string, timing: InferenceTiming, downloadBytes: number): Row {
  return {
    scan,
    model,
    backend,
    slices: String(timing.slices),
    's / volume': (timing.pipelineMs / 1000).toFixed(2),
    'ms / slice': (timing.pipelineMs / timing.slices).toFixed(1),
    'predict alone s': (timing.predictMs / 1000).toFixed(2),
    'pipeline / predict': (timing.pipelineMs / timing.predictMs).toFixed(2),
    'peak tensors': String(timing.peakTensors),
    'model download MB': (downloadBytes / 1e6).toFixed(2),
  }
}

/** Bytes the browser downloads for a bundled model (model.json, shards, card). */
export function modelDownloadBytes(modelDir: string): number {
  return readdirSync(modelDir)
    .filter((f) => /^(model\.json|model-card\.json|.*\.bin)$/.test(f))
    .reduce((a, f) => a + statSync(join(modelDir, f)).size, 0)
}
