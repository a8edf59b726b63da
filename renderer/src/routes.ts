/** The pages of the app, addressed by the URL fragment (`#/node`) so both file:// and HTTP work. */
export const ROUTES = ['node', 'vo', 'overlay', 'compute', 'folders', 'health'] as const
export type Route = (typeof ROUTES)[number]

export const DEFAULT_ROUTE: Route = 'node'

export const routeHref = (route: Route): string => `#/${route}`

export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '')
  return ROUTES.find((route) => route === name) ?? DEFAULT_ROUTE
}
