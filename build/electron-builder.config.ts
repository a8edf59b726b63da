/**
 * Packaging of the desktop app (`npm run dist`): AppImage and deb for Linux, an NSIS installer for
 * Windows, a dmg for macOS. Installers need a networked release machine (electron-builder
 * downloads Electron and its tools); test/app/builder-config.test.ts validates this file offline.
 */
import type { Configuration } from 'electron-builder'

const config: Configuration = {
  appId: 'org.gridnode.app',
  productName: 'GridNode',
  copyright: 'Copyright © GridNode contributors',
  directories: { output: 'dist', buildResources: 'build' },
  // The bundles and the manifest; production dependencies (libp2p, level, …) are added by
  // electron-builder itself, because the main bundle imports them at run time.
  files: ['out/**', 'package.json'],
  asar: true,
  // Native addons cannot be loaded from inside an asar archive (classic-level's prebuilds).
  asarUnpack: ['**/*.node'],
  // classic-level ships N-API prebuilds, which load in Electron as they are; rebuilding would
  // need Electron's headers from the network for nothing.
  npmRebuild: false,
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons',
    category: 'Network',
    synopsis: 'Desktop grid node: share CPU and disk with your Virtual Organization',
    maintainer: 'GridNode contributors <maintainers@gridnode.org>',
    // `gridnode` is the CLI's name (package.json bin); the app must not shadow it on PATH.
    executableName: 'gridnode-desktop',
  },
  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    allowToChangeInstallationDirectory: true,
  },
  mac: {
    target: ['dmg'],
    icon: 'build/icon.png',
    category: 'public.app-category.utilities',
  },
}

export default config
