/**
 * tfjs layers models on disk (model.json + weight shards of at most 4 MB), in Node, without tfjs-node: saving
 * (optionally float16 weights, which tfjs decodes when loading) and a file IOHandler for loading.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'

const SHARD_BYTES = 4 * 1024 * 1024

interface ModelJson {
  format: 'layers-model'
  generatedBy: string
  convertedBy: null
  modelTopology: tf.io.ModelArtifacts['modelTopology']
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>
}

/** Float32 -> IEEE half (round to nearest even), for the float16 export. */
function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length)
  const f32 = new Float32Array(1)
  const u32 = new Uint32Array(f32.buffer)
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i]
    const x = u32[0]
    const sign = (x >>> 16) & 0x8000
    const exponent = ((x >>> 23) & 0xff) - 127 + 15
    let mantissa = x & 0x7fffff
    if (exponent >= 31) out[i] = sign | 0x7c00
    else if (exponent <= 0) {
      if (exponent < -10) out[i] = sign
      else {
        mantissa |= 0x800000
        const shift = 14 - exponent
        out[i] = sign | ((mantissa + (1 << (shift - 1))) >> shift)
      }
    } else {
      const rounded = mantissa + 0xfff + ((mantissa >> 13) & 1)
      out[i] = rounded & 0x800000 ? sign | ((exponent + 1) << 10) : sign | (exponent << 10) | (rounded >> 13)
    }
  }
  return out
}

/** Writes model.json and shards into dir; returns the total bytes of the weights. */
export async function saveModelFiles(model: tf.LayersModel, dir: string, options: { float16?: boolean } = {}): Promise<number> {
  mkdirSync(dir, { recursive: true })
  let written = 0
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      let specs = artifacts.weightSpecs!
      let data: Uint8Array = new Uint8Array(tf.io.concatenateArrayBuffers(([] as ArrayBuffer[]).concat(artifacts.weightData as ArrayBuffer)))
      if (options.float16) {
        data = new Uint8Array(toFloat16(new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4)).buffer)
        specs = specs.map((s) => ({ ...s, quantization: { dtype: 'float16', original_dtype: 'float32' } }) as tf.io.WeightsManifestEntry)
      }
      const shardCount = Math.max(1, Math.ceil(data.byteLength / SHARD_BYTES))
      const paths = Array.from({ length: shardCount }, (_, i) => `group1-shard${i + 1}of${shardCount}.bin`)
      paths.forEach((p, i) => writeFileSync(join(dir, p), data.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES)))
      const json: ModelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths, weights: specs }],
      }
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json))
      written = data.byteLength
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } }
    }),
  )
  return written
}

/** An IOHandler reading model.json and its shards from disk (what tf.loadLayersModel takes). */
export function fileModelHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      let json: ModelJson
      try {
        json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as ModelJson
      } catch (e) {
        throw new Error(`cannot read ${modelJsonPath}: ${(e as Error).message}`, { cause: e })
      }
      const groups = json.weightsManifest ?? []
      // new Uint8Array(buffer) copies: Node may pool small file buffers, so their .buffer is not the file alone.
      const buffers = groups.flatMap((g) => g.paths.map((p) => new Uint8Array(readFileSync(join(dirname(modelJsonPath), p))).buffer))
      return {
        modelTopology: json.modelTopology,
        weightSpecs: groups.flatMap((g) => g.weights),
        weightData: tf.io.concatenateArrayBuffers(buffers),
        format: json.format,
        generatedBy: json.generatedBy,
      }
    },
  }
}
