/** The attributes tfjs hands to convolution-gradient kernels, and what our replacements of them support. */

export interface ConvGradientAttrs {
  strides: number | [number, number]
  pad: 'same' | 'valid' | number | number[][]
  dataFormat: 'NHWC' | 'NCHW'
  dilations?: number | [number, number]
  filterShape?: [number, number, number, number]
  inputShape?: [number, number, number, number]
}

/** Stride 1, dilation 1, NHWC, 'same' or 'valid' padding: every convolution of our models. */
export function isPlainConvolution(attrs: ConvGradientAttrs): boolean {
  const ones = (v: number | number[] | undefined) => v === undefined || (Array.isArray(v) ? v.every((x) => x === 1) : v === 1)
  return ones(attrs.strides) && ones(attrs.dilations) && attrs.dataFormat === 'NHWC' && (attrs.pad === 'same' || attrs.pad === 'valid')
}

/** Padding of a stride-1 forward conv: [top, bottom, left, right]. */
export function forwardPadding(pad: 'same' | 'valid', kh: number, kw: number): [number, number, number, number] {
  if (pad === 'valid') return [0, 0, 0, 0]
  const top = Math.floor((kh - 1) / 2)
  const left = Math.floor((kw - 1) / 2)
  return [top, kh - 1 - top, left, kw - 1 - left]
}
