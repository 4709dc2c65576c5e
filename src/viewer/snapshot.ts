/** A picture of the viewer's canvas with a caption along the bottom, as PNG bytes (for the report and export). */
export async function captionedPng(source: HTMLCanvasElement, caption: string): Promise<Uint8Array> {
  const picture = document.createElement('canvas')
  picture.width = source.width
  picture.height = source.height
  const context = picture.getContext('2d')
  if (!context) throw new Error('no 2-D canvas to draw the snapshot on')
  context.drawImage(source, 0, 0)
  const fontPx = Math.max(14, Math.round(picture.height / 40))
  context.font = `${fontPx}px sans-serif`
  context.fillStyle = 'rgba(0, 0, 0, 0.6)'
  context.fillRect(0, picture.height - fontPx * 1.8, picture.width, fontPx * 1.8)
  context.fillStyle = '#ffffff'
  context.fillText(caption, fontPx * 0.6, picture.height - fontPx * 0.6)
  const blob = await new Promise<Blob | null>((resolve) => picture.toBlob(resolve, 'image/png'))
  if (!blob) throw new Error('the snapshot could not be encoded')
  return new Uint8Array(await blob.arrayBuffer())
}
