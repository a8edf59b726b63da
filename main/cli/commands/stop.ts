/** `gridnode stop`: asks the running node to stop and waits until its process has ended. */
import { setTimeout as sleep } from 'node:timers/promises'
import { Command } from '@commander-js/extra-typings'
import { GridNodeError } from '../../../shared/errors.ts'
import { isProcessAlive } from '../../api/api-file.ts'
import { resolveDataDir } from '../../node/options.ts'
import { connectToNode } from '../api-client.ts'
import { dataOption } from '../options.ts'

const STOP_WAIT_MS = 10_000
/** Another process's exit cannot be awaited as an event; checking its pid this often is cheap. */
const PID_CHECK_MS = 50

export const stopCommand = () =>
  new Command('stop')
    .description('stop the running node')
    .addOption(dataOption())
    .action(async (options) => {
      const { client, apiFile } = await connectToNode(resolveDataDir(options.data))
      await client.stop({})
      const deadline = Date.now() + STOP_WAIT_MS
      while (isProcessAlive(apiFile.pid)) {
        if (Date.now() > deadline) throw new GridNodeError('TIMEOUT', `The node (pid ${apiFile.pid}) did not stop within ${STOP_WAIT_MS / 1000} s.`)
        await sleep(PID_CHECK_MS)
      }
      process.stdout.write(`Stopped GridNode ${apiFile.peerId}.\n`)
    })
