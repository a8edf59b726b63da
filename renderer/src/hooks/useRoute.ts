import { useEffect, useState } from 'react'
import { routeFromHash, type Route } from '../routes.ts'

/** The current page, following the URL fragment (links, back and forward). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeFromHash(location.hash))
  useEffect(() => {
    const onChange = (): void => setRoute(routeFromHash(location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
