import { createTheme } from '@mantine/core'

/** Mantine's defaults use the system font stacks, so no web font is fetched (the CSP forbids it anyway). */
export const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  headings: { fontWeight: '600' },
})
