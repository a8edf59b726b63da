/**
 * The UI's Content-Security-Policy, one policy everywhere: the headless node's HTTP header, the
 * Electron session's header, and the renderer's own meta tag (checked against this by a test).
 * Styles allow 'unsafe-inline' only because the UI library injects its theme as style tags;
 * scripts never run inline.
 */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'"
