import { Card, EmptyState, Stack } from '@mantine/core'
import type { ReactNode } from 'react'
import { PageHeader } from './PageHeader.tsx'

/** An honest placeholder for a page whose feature has not shipped: what it will do, no fake data. */
export function NotYetAvailable(props: { title: string; summary: string; icon: ReactNode; details: ReactNode }) {
  return (
    <Stack gap="lg">
      <PageHeader title={props.title} description={props.summary} />
      <Card withBorder padding="xl">
        <EmptyState
          icon={props.icon}
          withIndicatorBackground
          title="Not available yet in this version"
          description={props.details}
          py="xl"
        />
      </Card>
    </Stack>
  )
}
