/**
 * Renders build/icon.svg to the PNGs electron-builder needs: build/icons/NxN.png for Linux (and
 * the tray), build/icon.png at 1024 px from which it derives the macOS .icns and Windows .ico.
 * Run after editing the SVG: `node build/generate-icons.ts`; the PNGs are committed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import { ICON_SIZES } from './icon-sizes.ts'

const buildDir = import.meta.dirname

function render(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng()
}

const svg = await readFile(join(buildDir, 'icon.svg'), 'utf8')
await mkdir(join(buildDir, 'icons'), { recursive: true })
for (const size of ICON_SIZES) {
  await writeFile(join(buildDir, 'icons', `${size}x${size}.png`), render(svg, size))
}
await writeFile(join(buildDir, 'icon.png'), render(svg, 1024))
