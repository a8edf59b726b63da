/**
 * The `gridnode` command line. Every command but `start` talks to the running node through its
 * API. Exit codes (DESIGN.md): 0 success, 1 failure with a one-line reason on stderr, 2 usage.
 */
import { Command, CommanderError } from '@commander-js/extra-typings'
import { toGridNodeError } from '../../shared/errors.ts'
import { VERSION } from '../node/version.ts'
import { connectCommand } from './commands/connect.ts'
import { contributeCommand } from './commands/contribute.ts'
import { groupCommand, groupsCommand, restoreCommand, shareCommand, unshareCommand } from './commands/folders.ts'
import { healthCommand, scalabilityCommand } from './commands/health.ts'
import { jobCommand, jobsCommand } from './commands/job.ts'
import { peersCommand, statusCommand } from './commands/node-info.ts'
import { discoverCommand, overlayCommand } from './commands/overlay.ts'
import { speedtestCommand } from './commands/speedtest.ts'
import { startCommand } from './commands/start.ts'
import { stopCommand } from './commands/stop.ts'
import { voCommand } from './commands/vo.ts'

const program = new Command('gridnode')
  .description('GridNode: a desktop grid node. Join a Virtual Organization, contribute CPU and disk, mirror folders.')
  .version(VERSION)
  .exitOverride()
  .addCommand(startCommand())
  .addCommand(statusCommand())
  .addCommand(peersCommand())
  .addCommand(connectCommand())
  .addCommand(healthCommand())
  .addCommand(scalabilityCommand())
  .addCommand(voCommand())
  .addCommand(overlayCommand())
  .addCommand(discoverCommand())
  .addCommand(contributeCommand())
  .addCommand(speedtestCommand())
  .addCommand(jobCommand())
  .addCommand(jobsCommand())
  .addCommand(shareCommand())
  .addCommand(groupsCommand())
  .addCommand(groupCommand())
  .addCommand(unshareCommand())
  .addCommand(restoreCommand())
  .addCommand(stopCommand())

// Usage errors of subcommands, however deep, must reach the exit-code mapping below.
interface Overridable {
  exitOverride(): unknown
  readonly commands: readonly unknown[]
}
const overrideExits = (command: Overridable): void => {
  command.exitOverride()
  for (const sub of command.commands) overrideExits(sub as Overridable)
}
overrideExits(program)

try {
  await program.parseAsync(process.argv)
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has already printed the usage problem (or the help someone asked for).
    process.exit(err.exitCode === 0 ? 0 : 2)
  }
  const error = toGridNodeError(err)
  process.stderr.write(`gridnode: ${error.message} (${error.code})\n`)
  process.exit(error.exitCode)
}
