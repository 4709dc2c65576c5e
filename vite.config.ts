import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { extname, join, normalize, relative, sep } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, type Connect, type Plugin } from 'vite'

const MODELS_DIR = 'models'
const MODEL_FILE = /^(model\.json|model-card\.json|group\d+-shard\d+of\d+\.bin)$/

/** The exported model files under models/ (model.json, shards, card), never training checkpoints. */
function modelFiles(): string[] {
  if (!existsSync(MODELS_DIR)) return []
  return readdirSync(MODELS_DIR)
    .filter((id) => statSync(join(MODELS_DIR, id)).isDirectory())
    .flatMap((id) => readdirSync(join(MODELS_DIR, id)).filter((f) => MODEL_FILE.test(f)).map((f) => join(MODELS_DIR, id, f)))
}

/**
 * The bundled models live in models/ at the top of the repository (where `npm run train` writes them):
 * served at /models/ by the dev server and copied into the build (which the preview server serves).
 */
function bundledModels(): Plugin {
  const serve: Connect.NextHandleFunction = (request, response, next) => {
    const path = normalize(decodeURIComponent((request.url ?? '').split('?')[0]).slice(1))
    if (!path.startsWith(`${MODELS_DIR}${sep}`) || !modelFiles().includes(path)) return next()
    response.setHeader('Content-Type', extname(path) === '.json' ? 'application/json' : 'application/octet-stream')
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
    response.end(readFileSync(path))
  }
  return {
    name: 'strokeseg-bundled-models',
    configureServer: (server) => void server.middlewares.use(serve),
    generateBundle() {
      for (const file of modelFiles()) this.emitFile({ type: 'asset', fileName: relative('.', file).split(sep).join('/'), source: readFileSync(file) })
    },
  }
}

/**
 * Cross-origin isolation (COOP/COEP), which WASM threads need (not used yet: src/segmentation/README.md);
 * every deployment must send the same headers (README, "Deploying").
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig({
  plugins: [react(), bundledModels()],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  optimizeDeps: {
    // dcm2niix locates its worker and wasm through import.meta.url: it must not be pre-bundled.
    exclude: ['@niivue/dcm2niix'],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
})
