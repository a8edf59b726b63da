/**
 * A stand-in for the parts of Electron's main-process API the shell uses, so the built shell
 * (out/main/index.js) can run under plain Node with a real node behind it. It records what the
 * shell did; the driver beside it plays the user and the renderer.
 */
import { EventEmitter } from 'node:events'

export interface PreventableEvent {
  defaultPrevented: boolean
  preventDefault(): void
}

export function preventable(): PreventableEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true
    },
  }
}

type Handler = (event: unknown, input: unknown) => unknown

export const recorded = {
  errorBoxes: [] as Array<{ title: string; content: string }>,
  openDialogs: [] as Array<{ modal: boolean; options: unknown }>,
  ipcHandlers: new Map<string, Handler>(),
  openedExternally: [] as string[],
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  permissionHandler: undefined as ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined,
  headersHandler: undefined as ((details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: object) => void) => void) | undefined,
  /** Called by app.exit(); the driver reports and ends the process there. */
  onExit: (code: number): void => {
    process.exit(code)
  },
}

class FakeApp extends EventEmitter {
  whenReady(): Promise<void> {
    return Promise.resolve()
  }

  requestSingleInstanceLock(): boolean {
    return true
  }

  quit(): void {
    const event = preventable()
    this.emit('before-quit', event)
    if (!event.defaultPrevented) this.exit(0)
  }

  exit(code = 0): void {
    recorded.onExit(code)
  }
}

export const app = new FakeApp()

/** The folder the user picks whenever the folder dialog opens. */
export const PICKED_FOLDER = '/home/user/Photos'

export const dialog = {
  showErrorBox(title: string, content: string): void {
    recorded.errorBoxes.push({ title, content })
  },
  async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    recorded.openDialogs.push({ modal: args.length === 2, options: args.at(-1) })
    return { canceled: false, filePaths: [PICKED_FOLDER] }
  },
}

/** A user who has been away for a long time: "only when idle" never pauses in these tests. */
export const powerMonitor = { getSystemIdleTime: (): number => 3600 }

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (recorded.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    recorded.ipcHandlers.set(channel, handler)
  },
}

export const shell = {
  async openExternal(url: string): Promise<void> {
    recorded.openedExternally.push(url)
  },
}

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: typeof recorded.permissionHandler): void {
      recorded.permissionHandler = handler
    },
    setPermissionCheckHandler(): void {},
    webRequest: {
      onHeadersReceived(handler: typeof recorded.headersHandler): void {
        recorded.headersHandler = handler
      },
    },
  },
}

export class FakeWebContents extends EventEmitter {
  sent: Array<{ channel: string; payload: unknown }> = []
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }

  isDestroyed(): boolean {
    return false
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static fromWebContents(contents: unknown): FakeBrowserWindow | null {
    return recorded.windows.find((window) => window.webContents === contents) ?? null
  }

  readonly webContents = new FakeWebContents()
  loaded: string | undefined
  visible = false
  readonly options: { webPreferences?: Record<string, unknown> }

  constructor(options: { webPreferences?: Record<string, unknown> }) {
    super()
    this.options = options
    recorded.windows.push(this)
    // Electron announces every new web contents to the app before it loads anything.
    app.emit('web-contents-created', preventable(), this.webContents)
  }

  async loadFile(file: string): Promise<void> {
    this.loaded = file
    this.emit('ready-to-show')
  }

  async loadURL(url: string): Promise<void> {
    this.loaded = url
    this.emit('ready-to-show')
  }

  show(): void {
    this.visible = true
  }

  hide(): void {
    this.visible = false
  }

  focus(): void {}

  restore(): void {}

  isMinimized(): boolean {
    return false
  }

  isDestroyed(): boolean {
    return false
  }
}

export { FakeBrowserWindow as BrowserWindow }

interface MenuItem {
  label?: string
  enabled?: boolean
  type?: string
  click?: () => void
}

export const Menu = {
  buildFromTemplate: (items: MenuItem[]): { items: MenuItem[] } => ({ items }),
}

export class FakeTray extends EventEmitter {
  tooltip = ''
  menu: { items: MenuItem[] } | undefined
  destroyed = false

  constructor() {
    super()
    recorded.trays.push(this)
  }

  setToolTip(tooltip: string): void {
    this.tooltip = tooltip
  }

  setContextMenu(menu: { items: MenuItem[] }): void {
    this.menu = menu
  }

  destroy(): void {
    this.destroyed = true
  }
}

export { FakeTray as Tray }

const image = { resize: () => image }
export const nativeImage = { createFromPath: () => image }
