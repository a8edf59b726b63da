import '@mantine/core/styles.css'
import { MantineProvider } from '@mantine/core'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectApi } from './api.ts'
import { App } from './App.tsx'
import { theme } from './theme.ts'
import { NoTokenView } from './views/NoTokenView.tsx'

// Before anything reads the URL fragment: it may carry the token rather than a route.
const client = connectApi()

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    {/* "auto" follows the system's light/dark setting. */}
    <MantineProvider theme={theme} defaultColorScheme="auto">
      {client === null ? <NoTokenView /> : <App client={client} />}
    </MantineProvider>
  </StrictMode>,
)
