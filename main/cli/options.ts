/** Options shared by several commands, declared once. */
import { InvalidArgumentError, Option } from '@commander-js/extra-typings'

export const dataOption = () =>
  new Option('--data <dir>', 'data folder of the node (default: $GRIDNODE_DATA, else the per-user app-data folder)').env('GRIDNODE_DATA')

export const jsonOption = () => new Option('--json', 'print machine-readable JSON')

/** Parses a count given on the command line: a whole number of at least 1 (else a usage error). */
export function parsePositiveInt(text: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('a whole number of at least 1.')
  return value
}
