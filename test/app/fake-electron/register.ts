// `node --import ./register.ts`: installs the hooks before the app bundle loads.
import { register } from 'node:module'

register('./hooks.ts', import.meta.url)
