// Lint rules, including the import boundaries that keep the architecture true:
// shared/ imports nothing of the project, the node core never imports Electron or the UI,
// the renderer imports only shared/.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const noProject = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.map((group) => ({ group: group.patterns, message: group.message })) }],
})
const electron = { patterns: ['electron', 'electron/*'], message: 'Only main/app/ may import Electron.' }
const nodeBuiltins = { patterns: ['node:*'], message: 'This layer also runs in the browser: no Node built-ins.' }
const mainLayer = { patterns: ['**/main/**', '../main/*'], message: 'Import the API contract from shared/, never main/.' }
const rendererLayer = { patterns: ['**/renderer/**'], message: 'The UI is reached through the API, never imported.' }
const appLayer = { patterns: ['**/app/**', '../app/*'], message: 'The node core must not depend on the Electron shell.' }

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '.tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['shared/**'], rules: noProject(electron, nodeBuiltins, mainLayer, rendererLayer) },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } }, rules: noProject(electron, nodeBuiltins, mainLayer) },
  { files: ['main/**'], ignores: ['main/app/**'], rules: noProject(electron, rendererLayer, appLayer) },
  { files: ['main/app/**'], rules: noProject(rendererLayer) },
)
