/**
 * Command-line options for the training CLIs: a table of `--name value` / `--flag` options, tokenised by
 * Node's `util.parseArgs` (strict: unknown options and missing values are errors), then typed from the same
 * table: numbers checked, choices enforced, defaults filled in, so each CLI gets a typed config without casts.
 * A --help text comes from the table too, and every usage error is one clear line (exit 2). Positional
 * arguments are errors unless the CLI takes them (a mistyped `--a x y` must not drop `y` silently).
 */
import { parseArgs } from 'node:util'

export interface OptionSpec {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'list'
  readonly help: string
  readonly default?: string | number | boolean | readonly number[]
  readonly choices?: readonly string[]
  readonly required?: boolean
}

export type OptionTable = Readonly<Record<string, OptionSpec>>

/** The value an option takes: booleans, comma lists of numbers, numbers, one of its choices, or a string. */
type ValueOf<S extends OptionSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'list' }
    ? number[]
    : S extends { type: 'number' | 'integer' }
      ? number
      : S extends { choices: ReadonlyArray<infer C> }
        ? C
        : string

/** Always present: required, with a default, or a flag (false unless given). */
type Present<S extends OptionSpec> = S extends { required: true } | { default: unknown } | { type: 'boolean' } ? true : false

/** The parsed options of a table declared `as const satisfies OptionTable`, and the positional arguments (`_`). */
export type Options<T extends OptionTable> = { -readonly [K in keyof T]: Present<T[K]> extends true ? ValueOf<T[K]> : ValueOf<T[K]> | undefined } & { _: string[] }

export class UsageError extends Error {}

export function helpText(command: string, summary: string, table: OptionTable, positional = ''): string {
  const lines = Object.entries(table).map(([name, spec]) => {
    const value = spec.type === 'boolean' ? '' : ` <${spec.choices ? spec.choices.join('|') : spec.type}>`
    const extra = spec.required ? ' (required)' : spec.default !== undefined ? ` (default ${spec.default})` : ''
    return `  --${name}${value}\n      ${spec.help}${extra}`
  })
  return `Usage: npm run ${command} -- ${positional}[options]\n\n${summary}\n\nOptions:\n${lines.join('\n')}\n  --help\n      this text\n`
}

export function parseOptions<T extends OptionTable>(argv: readonly string[], table: T, takesPositionals = false): Options<T> {
  let tokens: ReturnType<typeof parseArgs>
  try {
    const options = Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, { type: spec.type === 'boolean' ? ('boolean' as const) : ('string' as const) }]))
    tokens = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true })
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see --help)`)
  }
  if (!takesPositionals && tokens.positionals.length > 0) throw new UsageError(`unexpected argument '${tokens.positionals[0]}' (see --help)`)
  const out: Record<string, unknown> = { _: tokens.positionals }
  for (const [name, spec] of Object.entries(table)) {
    const raw = tokens.values[name]
    if (raw === undefined) {
      if (spec.required) throw new UsageError(`--${name} is required (see --help)`)
      out[name] = spec.type === 'boolean' ? false : spec.default
    } else out[name] = spec.type === 'boolean' ? raw : convert(name, raw as string, spec)
  }
  return out as Options<T>
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
  if (raw.trim() === '' || !Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value))) {
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
