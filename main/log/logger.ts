/**
 * Scoped loggers. The node writes JSON lines to its data folder's log file (people see a few
 * plain lines on the terminal instead); each component gets a child logger named for it,
 * e.g. `gridnode:p2p`, so a failing multi-node run can be read per node and per component.
 */
import { pino, type Logger as PinoLogger } from 'pino'

export type Logger = PinoLogger

export interface LoggerInit {
  /** Log file; absent means standard error (used by short-lived commands). */
  file?: string
  level?: string
  /** The node's short name, for telling nodes apart in multi-node logs. */
  node?: string
}

export function createLogger(init: LoggerInit): Logger {
  const destination = init.file === undefined ? pino.destination(2) : pino.destination({ dest: init.file, mkdir: true, sync: true })
  return pino({ level: init.level ?? process.env.GRIDNODE_LOG_LEVEL ?? 'info', base: init.node === undefined ? {} : { node: init.node } }, destination)
}

export function componentLogger(parent: Logger, component: string): Logger {
  return parent.child({ component: `gridnode:${component}` })
}
