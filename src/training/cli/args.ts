/**
 * Command-line options for the training CLIs: `--name value` / `--flag`, typed, with defaults, a --help text
 * built from the same table, and a clear error (exit 2) for anything unknown or malformed.
 */
export interface OptionSpec {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'list'
  readonly help: string
  readonly default?: string | number | boolean | readonly number[]
  readonly choices?: readonly string[]
  readonly required?: boolean
}

export type OptionTable = Record<string, OptionSpec>
export type ParsedOptions = Record<string, string | number | boolean | number[] | undefined> & { _: string[] }

export class UsageError extends Error {}

export function helpText(command: string, summary: string, table: OptionTable, positional = ''): string {
  const lines = Object.entries(table).map(([name, spec]) => {
    const value = spec.type === 'boolean' ? '' : ` <${spec.choices ? spec.choices.join('|') : spec.type}>`
    const extra = spec.required ? ' (required)' : spec.default !== undefined ? ` (default ${spec.default})` : ''
    return `  --${name}${value}\n      ${spec.help}${extra}`
  })
  return `Usage: npm run ${command} -- ${positional}[options]\n\n${summary}\n\nOptions:\n${lines.join('\n')}\n  --help\n      this text\n`
}

export function parseOptions(argv: readonly string[], table: OptionTable): ParsedOptions {
  const out: ParsedOptions = { _: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) {
      out._.push(arg)
      continue
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2)
    const spec = table[name]
    if (!spec) throw new UsageError(`unknown option --${name} (see --help)`)
    if (spec.type === 'boolean') {
      out[name] = true
      continue
    }
    const raw = inline ?? argv[++i]
    if (raw === undefined || (inline === undefined && raw.startsWith('--'))) throw new UsageError(`--${name} needs a value`)
    out[name] = convert(name, raw, spec)
  }
  for (const [name, spec] of Object.entries(table)) {
    if (out[name] === undefined && spec.default !== undefined) out[name] = spec.default as never
    if (out[name] === undefined && spec.required) throw new UsageError(`--${name} is required (see --help)`)
  }
  return out
}

function convert(name: string, raw: string, spec: OptionSpec): string | number | number[] {
  if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got '${raw}'`)
  if (spec.type === 'string') return raw
  if (spec.type === 'list') {
    const values = raw.split(',').map(Number)
    if (values.some((v) => !Number.isFinite(v))) throw new UsageError(`--${name} must be numbers separated by commas; got '${raw}'`)
    return values
  }
  const value = Number(raw)
  if (!Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${spec.type === 'integer' ? 'an integer' : 'a number'}; got '${raw}'`)
  }
  return value
}

/** Runs a CLI's main: --help prints the help; a UsageError or any Error prints one clear line and exits non-zero. */
export function runCli(help: string, main: (argv: string[]) => Promise<void>): void {
  const argv = process.argv.slice(2)
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help)
    return
  }
  main(argv).catch((e: unknown) => {
    const error = e as Error
    process.stderr.write(`error: ${error.message}\n`)
    if (!(error instanceof UsageError) && process.env.STROKESEG_DEBUG) process.stderr.write(`${error.stack}\n`)
    process.exit(error instanceof UsageError ? 2 : 1)
  })
}
