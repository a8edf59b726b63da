import { useMantineTheme } from '@mantine/core'

/** Three linked nodes on a rounded tile: the grid this machine is part of. */
export function Logo({ size = 28 }: { size?: number }) {
  const theme = useMantineTheme()
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill={theme.colors.teal[7]} />
      <path d="M10 10L22 10L16 22Z" fill="none" stroke="#fff" strokeWidth="2" strokeLinejoin="round" />
      <circle cx="10" cy="10" r="3.2" fill="#fff" />
      <circle cx="22" cy="10" r="3.2" fill="#fff" />
      <circle cx="16" cy="22" r="3.2" fill="#fff" />
    </svg>
  )
}
