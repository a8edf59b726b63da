/**
 * The Mandelbrot demo: one job per tile spread over the VO, the picture filling in tile by tile as
 * each tile's verified result comes back (its RGBA pixels), with which nodes did the work.
 */
import { Alert, Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core'
import { IconPlayerPlay } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { Demo, JobSummary } from '../../../../shared/api/compute-schemas.ts'
import { toGridNodeError, type GridNodeError } from '../../../../shared/errors.ts'
import { shortPeerId } from '../../format.ts'

const TILE_CHOICES = ['4', '16', '64'] as const

const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (char) => char.charCodeAt(0))

export function MandelbrotCard({ jobs, selfId, client }: { jobs: ReadonlyMap<string, JobSummary>; selfId: string; client: ApiClient }) {
  const [tiles, setTiles] = useState<(typeof TILE_CHOICES)[number]>('16')
  const [demo, setDemo] = useState<Demo | null>(null)
  const [error, setError] = useState<GridNodeError | null>(null)
  const [painted, setPainted] = useState<ReadonlySet<string>>(new Set())
  const fetching = useRef(new Set<string>())
  const canvas = useRef<HTMLCanvasElement>(null)

  const start = async (): Promise<void> => {
    setError(null)
    try {
      const started = await client.jobDemo({ name: 'mandelbrot', tiles: Number(tiles) })
      fetching.current = new Set()
      setPainted(new Set())
      setDemo(started)
    } catch (err) {
      setError(toGridNodeError(err))
    }
  }

  // Each tile is painted once, as soon as its job is done.
  useEffect(() => {
    if (demo === null) return
    for (const tile of demo.tiles) {
      if (jobs.get(tile.job)?.state !== 'done' || fetching.current.has(tile.job)) continue
      fetching.current.add(tile.job)
      client.jobResult({ id: tile.job }).then(
        ({ output }) => {
          const context = canvas.current?.getContext('2d')
          context?.putImageData(new ImageData(new Uint8ClampedArray(fromBase64(output).buffer), tile.width, tile.height), tile.x, tile.y)
          setPainted((done) => new Set(done).add(tile.job))
        },
        (err: unknown) => setError(toGridNodeError(err)),
      )
    }
  }, [demo, jobs, client])

  const tileJobs = demo?.tiles.map((tile) => jobs.get(tile.job)).filter((job) => job !== undefined) ?? []
  const failed = tileJobs.find((job) => job.state === 'failed' || job.state === 'cancelled')
  const byNode = new Map<string, number>()
  for (const job of tileJobs) if (job.state === 'done') for (const node of job.nodes) byNode.set(node, (byNode.get(node) ?? 0) + 1)
  const running = demo !== null && painted.size < demo.tiles.length && failed === undefined

  return (
    <Card withBorder padding="lg" data-testid="mandelbrot">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={4}>Demo: the Mandelbrot set</Title>
            <Text size="sm" c="dimmed">
              Rendered as one job per tile, spread over the VO’s free cores; each tile appears when its verified result is back.
            </Text>
          </div>
          <Group gap="sm">
            <SegmentedControl size="xs" data={TILE_CHOICES.map((value) => ({ value, label: `${value} tiles` }))} value={tiles} onChange={(value) => setTiles(value as typeof tiles)} />
            <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => void start()} loading={running} data-testid="mandelbrot-start">
              Render
            </Button>
          </Group>
        </Group>
        {error !== null && (
          <Alert color="red" title="The demo could not go on">
            {error.message} ({error.code})
          </Alert>
        )}
        {failed !== undefined && (
          <Alert color="red" title="A tile failed">
            {failed.error?.message ?? failed.state}
          </Alert>
        )}
        {demo !== null && (
          <>
            <canvas
              ref={canvas}
              width={demo.width}
              height={demo.height}
              data-testid="mandelbrot-canvas"
              data-painted={painted.size}
              data-tiles={demo.tiles.length}
              style={{ width: '100%', maxWidth: demo.width, aspectRatio: `${demo.width} / ${demo.height}`, background: 'var(--mantine-color-default-hover)', borderRadius: 'var(--mantine-radius-sm)' }}
            />
            <Group gap="xs">
              <Text size="sm" data-testid="mandelbrot-progress">
                {painted.size} of {demo.tiles.length} tiles
              </Text>
              {[...byNode].map(([node, count]) => (
                <Badge key={node} variant="light" color={node === selfId ? 'gray' : 'teal'} title={node}>
                  {node === selfId ? 'this node' : shortPeerId(node)}: {count}
                </Badge>
              ))}
            </Group>
          </>
        )}
      </Stack>
    </Card>
  )
}
