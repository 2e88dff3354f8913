// Saving a picture of the graph: Python draws the SVG; these only turn it into a file.
const MAX_SIDE = 16_000; // Chromium refuses canvases much larger than this
const MAX_PIXELS = 100_000_000;

export function download(data, type, filename) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// The SVG rasterised at `scale` (less if the picture would be too big for a canvas).
export async function downloadPng(svgText, filename, scale = 2) {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const fit = Math.min(scale, MAX_SIDE / image.width, MAX_SIDE / image.height,
      Math.sqrt(MAX_PIXELS / (image.width * image.height)));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.width * fit);
    canvas.height = Math.round(image.height * fit);
    const context = canvas.getContext('2d');
    context.scale(fit, fit);
    context.drawImage(image, 0, 0);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    download(blob, 'image/png', filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}
