/**
 * Hardening applied to every web contents the app creates: no navigation away from the app's
 * page, no new windows (web links go to the system browser), no webviews, no permissions, and a
 * strict CSP on the app's responses.
 */
import { app, session, shell } from 'electron'
import type { Logger } from '../log/logger.ts'
import { isAppUrl, isExternalWebUrl, type AppLocation } from './app-location.ts'
import { contentSecurityPolicy, withCsp } from './csp.ts'

export function applySecurityPolicy(location: AppLocation, logger: Logger): void {
  app.on('web-contents-created', (_event, contents) => {
    const refuseForeign = (event: Electron.Event, url: string): void => {
      if (isAppUrl(url, location)) return
      event.preventDefault()
      logger.warn({ url }, 'Blocked navigation away from the app')
    }
    contents.on('will-navigate', refuseForeign)
    contents.on('will-redirect', refuseForeign)
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalWebUrl(url)) {
        shell.openExternal(url).catch((err: unknown) => logger.warn({ err, url }, 'Could not open the link in the browser'))
      }
      return { action: 'deny' }
    })
  })

  const appSession = session.defaultSession
  appSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  appSession.setPermissionCheckHandler(() => false)

  // Older Electron skipped this hook for file: pages; the page's meta tag carries the same policy,
  // so the header is a second line of defence, never the only one.
  const policy = contentSecurityPolicy(location)
  appSession.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, location)) return callback({})
    callback({ responseHeaders: withCsp(details.responseHeaders, policy) })
  })
}
