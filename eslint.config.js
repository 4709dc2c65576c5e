// Guard rails for the dependency direction (README, "Layout"): volume <- {io, model} <- pipeline <- {worker, training};
// ui -> {viewer, worker's client, io, volume}. niivue only in src/viewer, tfjs never in ui/viewer/volume/io, node:* only
// in training, bench and tests, src/training (Node) never in browser code, no DOM globals in pure folders.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const NIIVUE_ONLY_IN_VIEWER = { group: ['@niivue/niivue', '@niivue/niivue/*'], message: 'Only src/viewer/ imports niivue: use ScanViewer.' }
const NO_TFJS = { group: ['@tensorflow/*'], message: 'tfjs belongs to src/model, src/pipeline, src/worker and src/training.' }
const NO_REACT = { group: ['react', 'react-dom', 'react-dom/*'], message: 'React belongs to src/ui/ and src/main.tsx.' }
const NO_NODE = { group: ['node:*'], message: 'Node built-ins belong to src/training/ and tests.' }
const NO_UI = { group: ['**/ui/*', '**/ui'], message: 'Nothing imports the UI.' }
const NO_TRAINING = { group: ['**/training/*', '**/training'], message: 'src/training is Node only: browser code never imports it.' }
const NO_WORKER = { group: ['**/worker/*', '!**/worker/workerChannel'], message: 'The pipeline is shared by browser and Node: the worker uses it, not the other way round.' }

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'models', 'scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'max-lines': ['error', { max: 300 }], // small modules: split a file before it grows past this
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [NIIVUE_ONLY_IN_VIEWER, NO_TFJS, NO_NODE, NO_TRAINING] }],
    },
  },
  {
    files: ['src/viewer/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_TFJS, NO_REACT, NO_NODE, NO_UI, NO_TRAINING, NO_WORKER] }] },
  },
  {
    files: ['src/volume/**/*.ts', 'src/io/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NIIVUE_ONLY_IN_VIEWER, NO_TFJS, NO_REACT, NO_NODE, NO_UI, NO_TRAINING, NO_WORKER] }],
    },
  },
  {
    files: ['src/model/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NIIVUE_ONLY_IN_VIEWER, NO_REACT, NO_NODE, NO_UI, NO_TRAINING, NO_WORKER] }] },
  },
  {
    files: ['src/pipeline/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NIIVUE_ONLY_IN_VIEWER, NO_REACT, NO_NODE, NO_UI, NO_TRAINING, NO_WORKER] }] },
  },
  {
    files: ['src/worker/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NIIVUE_ONLY_IN_VIEWER, NO_REACT, NO_NODE, NO_UI, NO_TRAINING] }] },
  },
  {
    files: ['src/volume/**/*.ts', 'src/model/**/*.ts', 'src/pipeline/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-globals': ['error', 'window', 'document', 'navigator'] },
  },
)
