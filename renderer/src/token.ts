/**
 * The API token of the headless UI. It arrives once in the URL fragment (`#token=…`, never sent to
 * the server in a request line or logged by proxies), is kept in sessionStorage so a reload of this
 * tab still works, and is removed from the visible URL so it does not end up in screenshots,
 * bookmarks or history.
 */
const STORAGE_KEY = 'gridnode.apiToken'

/** Takes the token out of the URL fragment, if there is one; must run before the router reads the hash. */
export function consumeTokenFromUrl(): void {
  const token = tokenInUrl()
  if (token === null) return
  if (token !== '') sessionStorage.setItem(STORAGE_KEY, token)
  history.replaceState(history.state, '', location.pathname + location.search)
}

export function storedToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY)
}

export function tokenInUrl(): string | null {
  return new URLSearchParams(location.hash.slice(1)).get('token')
}
