/** Options shared by several commands, declared once. */
import { Option } from '@commander-js/extra-typings'

export const dataOption = () =>
  new Option('--data <dir>', 'data folder of the node (default: $GRIDNODE_DATA, else the per-user app-data folder)').env('GRIDNODE_DATA')

export const jsonOption = () => new Option('--json', 'print machine-readable JSON')
