import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { extname, join, normalize, relative, sep } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, type Connect, type Plugin } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

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
 * Cross-origin isolation (COOP/COEP), which WASM threads need (not used yet: src/worker/README.md);
 * every deployment must send the same headers (README, "Deploying").
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

/**
 * The Content-Security-Policy the app runs under: nothing but its own origin (scripts, workers, models,
 * WebAssembly) and the page's own blob:/data: URLs; no remote script, font, analytics or reporter can load,
 * and no request can leave. 'wasm-unsafe-eval' lets WebAssembly compile (tfjs, dcm2niix); script blob: lets
 * tfjs' WASM threads run the code the worker hands them as a blob (only the page's own code can make one);
 * inline styles are React's and niivue's. The development server adds Vite's inline client and its websocket.
 */
export function contentSecurityPolicy(mode: 'build' | 'serve'): string {
  const dev = mode === 'serve'
  return [
    "default-src 'self'",
    `script-src 'self' blob: 'wasm-unsafe-eval'${dev ? " 'unsafe-inline'" : ''}`,
    "worker-src 'self' blob:",
    `connect-src 'self' blob: data:${dev ? ' ws://127.0.0.1:* ws://localhost:*' : ''}`,
    "img-src 'self' blob: data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ')
}

/** The built index.html carries the policy itself, so a plain static deployment enforces it too. */
function policyInBuiltPage(): Plugin {
  return {
    name: 'strokeseg-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy('build') }, injectTo: 'head-prepend' }],
  }
}

/**
 * Installable, offline PWA: the service worker precaches the app shell, the workers, the tfjs and dcm2niix
 * WASM files and the bundled models (all of them: the build fails rather than leave one out). The page
 * registers it itself (src/ui/hooks/useOfflineApp.ts) and asks before it takes a new version.
 */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  manifest: {
    name: 'StrokeSeg: stroke lesion segmentation',
    short_name: 'StrokeSeg',
    description: 'View brain CT and MRI and segment stroke lesions, entirely on this device.',
    display: 'standalone',
    start_url: '.',
    scope: '.',
    theme_color: '#0f1720',
    background_color: '#0f1720',
    icons: [
      { src: 'icons/strokeseg-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/strokeseg-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/strokeseg-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: 'icons/strokeseg.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,mjs,css,html,wasm,json,bin,svg,png,ico,webmanifest}'],
    // niivue's OME-Zarr codecs (loaded only for .zarr, which StrokeSeg does not open).
    globIgnores: ['**/assets/{blosc,zstd,lz4}-*.js'],
    // The worker chunk (tfjs) is ~2.5 MB and each model ~1.2 MB; a file over the limit fails the build.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
  },
})

export default defineConfig(({ command }) => ({
  plugins: [react(), bundledModels(), policyInBuiltPage(), pwa],
  server: { headers: { ...ISOLATION_HEADERS, 'Content-Security-Policy': contentSecurityPolicy(command) } },
  preview: { headers: { ...ISOLATION_HEADERS, 'Content-Security-Policy': contentSecurityPolicy('build') } },
  worker: {
    format: 'es',
    // tfjs-backend-wasm hands the source text of its threaded factory to its pthread workers (as a blob:
    // script); minifying the worker bundle renames names that text refers to ("e is not defined" in every
    // pthread), so the worker bundle is left unminified.
    rolldownOptions: { output: { minify: false } },
  },
  optimizeDeps: {
    // dcm2niix locates its worker and wasm through import.meta.url: it must not be pre-bundled.
    exclude: ['@niivue/dcm2niix'],
    // Found only when the worker loads; listed so the dev server does not re-optimise and reload the page then.
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
}))
