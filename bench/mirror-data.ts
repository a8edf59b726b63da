/**
 * `npm run bench -- mirror-data [--json] [--mib 256] [--small 20000] [--runs 3]`: how fast the
 * mirror's data path runs on one core, against the raw read of the same file in the same run.
 * Figures (median and best of RUNS, as other work shares the cores): FastCDC chunking, chunking
 * plus keyed chunk ids (a full scan), sealing and opening (AES-256-GCM plus the id check) of a
 * MIB-sized file, and the scan rate of SMALL 1 KiB files. Goal (issue 4): each well above the
 * ≈ 290 MB/s a libp2p stream carries, so the data path is never the bottleneck.
 */
import { closeSync, openSync } from 'node:fs'
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createHash, createCipheriv } from 'node:crypto'
import { createChunker } from '../main/mirror/chunker.ts'
import { chunkId, createFolderSecret, deriveFolderKeys, openChunk, sealChunk } from '../main/mirror/folder-crypto.ts'
import { scanFolder } from '../main/mirror/scanner.ts'
import { median, printFigures } from '../scripts/figures.ts'

const MiB = 1024 * 1024
const LIBP2P_STREAM_MBPS = 290

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now()
  const result = await run()
  return [(performance.now() - started) / 1000, result]
}

/** A rate (units per second) measured `runs` times. */
async function rate(runs: number, units: number, run: () => Promise<unknown>): Promise<{ median: number; best: number }> {
  const rates: number[] = []
  for (let i = 0; i < runs; i++) rates.push(units / (await timed(run))[0])
  return { median: median(rates), best: Math.max(...rates) }
}

/** Incompressible, reproducible content: an AES-CTR keystream. */
async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const cipher = createCipheriv('aes-256-ctr', createHash('sha256').update('mirror-data').digest(), Buffer.alloc(16))
  const file = await open(path, 'w')
  try {
    for (let written = 0; written < bytes; written += 16 * MiB) await file.write(cipher.update(Buffer.alloc(Math.min(16 * MiB, bytes - written))))
  } finally {
    await file.close()
  }
}

export default async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, mib: { type: 'string', default: '256' }, small: { type: 'string', default: '20000' }, runs: { type: 'string', default: '3' } },
  })
  const bytes = Number(values.mib) * MiB
  const megabytes = bytes / 1e6
  const smallFiles = Number(values.small)
  const runs = Number(values.runs)
  const dir = await mkdtemp(join(tmpdir(), 'gridnode-bench-mirror-data-'))
  try {
    const big = join(dir, 'big', 'data.bin')
    await mkdir(join(dir, 'big'))
    await writeRandomFile(big, bytes)
    const keys = deriveFolderKeys(createFolderSecret())

    const read = await rate(runs, megabytes, async () => {
      const file = await open(big)
      const buffer = Buffer.allocUnsafe(4 * MiB)
      while ((await file.read(buffer, 0, buffer.length)).bytesRead > 0);
      await file.close()
    })
    const chunkFile = async (onChunk: (data: Uint8Array) => void) => {
      const fd = openSync(big, 'r')
      for (const data of createChunker().chunks(fd)) onChunk(data)
      closeSync(fd)
    }
    const chunk = await rate(runs, megabytes, () => chunkFile(() => undefined))
    const chunks: Buffer[] = []
    await chunkFile((data) => chunks.push(Buffer.from(data)))
    const scan = await rate(runs, megabytes, () => scanFolder({ root: join(dir, 'big'), keys }))
    const ids = chunks.map((data) => chunkId(keys, data))
    let sealed: Buffer[] = []
    const seal = await rate(runs, megabytes, async () => {
      sealed = chunks.map((data, i) => sealChunk(keys, ids[i]!, data))
    })
    const openRate = await rate(runs, megabytes, async () => sealed.forEach((data, i) => openChunk(keys, ids[i]!, data)))

    await mkdir(join(dir, 'small'))
    for (let i = 0; i < smallFiles; i++) await writeFile(join(dir, 'small', `f${i}`), `${i}`.padEnd(1024, '.'))
    const [, smallScan] = await timed(() => scanFolder({ root: join(dir, 'small'), keys }))
    const firstScan = await rate(runs, smallFiles, () => scanFolder({ root: join(dir, 'small'), keys }))
    const rescan = await rate(runs, smallFiles, () => scanFolder({ root: join(dir, 'small'), keys, previous: smallScan.manifest }))

    printFigures(values.json === true, {
      fileMiB: bytes / MiB,
      chunks: chunks.length,
      meanChunkKiB: bytes / chunks.length / 1024,
      baseline: { readMBps: read, libp2pStreamMBps: LIBP2P_STREAM_MBPS },
      chunkMBps: chunk,
      scanMBps: scan,
      sealMBps: seal,
      openMBps: openRate,
      scanVsLibp2p: scan.median / LIBP2P_STREAM_MBPS,
      smallFiles: { files: smallFiles, scanFilesPerSec: firstScan, rescanFilesPerSec: rescan },
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
