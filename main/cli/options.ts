/** Options shared by several commands, declared once. */
import { InvalidArgumentError, Option } from '@commander-js/extra-typings'

export const dataOption = () =>
  new Option('--data <dir>', 'data folder of the node (default: $GRIDNODE_DATA, else the per-user app-data folder)').env('GRIDNODE_DATA')

export const jsonOption = () => new Option('--json', 'print machine-readable JSON')

function wholeNumber(text: string, min: number): number {
  const value = text.trim() === '' ? Number.NaN : Number(text)
  if (!Number.isInteger(value) || value < min) throw new InvalidArgumentError(`a whole number of at least ${min}.`)
  return value
}

/** Parses a count given on the command line: a whole number of at least 1 (else a usage error). */
export const parsePositiveInt = (text: string): number => wholeNumber(text, 1)

/** Parses a count that may be zero, e.g. cores offered. */
export const parseCount = (text: string): number => wholeNumber(text, 0)
