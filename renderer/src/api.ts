/**
 * How this page reaches its node: through the Electron preload bridge when it runs in the desktop
 * app, otherwise over HTTP to the origin that served it (the headless node serves this bundle on
 * its API URL).
 */
import { BRIDGE_GLOBAL, createBridgeTransport, type GridNodeBridge } from '../../shared/api/bridge.ts'
import { createApiClient, type ApiClient } from '../../shared/api/client.ts'
import { createHttpTransport } from '../../shared/api/http-transport.ts'
import { consumeTokenFromUrl, storedToken } from './token.ts'

/** The client, or null when the page was opened without a token and cannot authenticate. */
export function connectApi(): ApiClient | null {
  const bridge = (window as { [BRIDGE_GLOBAL]?: GridNodeBridge })[BRIDGE_GLOBAL]
  if (bridge !== undefined) return createApiClient(createBridgeTransport(bridge))
  consumeTokenFromUrl()
  const token = storedToken()
  if (token === null) return null
  return createApiClient(createHttpTransport({ url: location.origin, token }))
}
