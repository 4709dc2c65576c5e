import { describe, expect, it } from 'vitest'
import { parseOptions, UsageError, type OptionTable } from './args'
import { compareEvaluations } from './compareEvaluations'

const TABLE = {
  files: { type: 'string', help: 'comma-separated files', required: true },
  steps: { type: 'integer', help: 'steps', default: 10 },
  sizes: { type: 'list', help: 'sizes' },
  fast: { type: 'boolean', help: 'a flag' },
} as const satisfies OptionTable

describe('parseOptions', () => {
  it('types every option from the table and fills in defaults', () => {
    const o = parseOptions(['--files', 'a.json,b.json', '--sizes', '1,2.5', '--fast'], TABLE)
    expect(o).toEqual({ _: [], files: 'a.json,b.json', steps: 10, sizes: [1, 2.5], fast: true })
  })

  it('rejects a stray positional argument unless the CLI takes them', () => {
    // `--files a.json b.json` (a space where a comma belongs) must not silently drop b.json
    expect(() => parseOptions(['--files', 'a.json', 'b.json'], TABLE)).toThrow(new UsageError("unexpected argument 'b.json' (see --help)"))
    expect(parseOptions(['--files', 'a.json', 'b.json', 'c.json'], TABLE, true)._).toEqual(['b.json', 'c.json'])
  })

  it('names the option and the bad value', () => {
    expect(() => parseOptions(['--files', 'a', '--steps', '2.5'], TABLE)).toThrow("--steps must be an integer; got '2.5'")
    expect(() => parseOptions(['--files', 'a', '--sizes', '1,x'], TABLE)).toThrow("--sizes must be numbers separated by commas; got '1,x'")
    expect(() => parseOptions(['--steps', '3'], TABLE)).toThrow('--files is required (see --help)')
    expect(() => parseOptions(['--files', 'a', '--nope'], TABLE)).toThrow(UsageError)
  })

  it('reaches the CLIs: compare-evaluations refuses files separated by spaces', () => {
    expect(() => compareEvaluations(['--baseline', 'a.json', 'b.json', '--candidate', 'c.json,d.json'])).toThrow("unexpected argument 'b.json'")
  })
})
