/** A command that asks the running node one question and prints the answer: JSON with --json, else for people. */
import { Command } from '@commander-js/extra-typings'
import type { ApiClient } from '../../shared/api/client.ts'
import { resolveDataDir } from '../node/options.ts'
import { connectToNode } from './api-client.ts'
import { printJson } from './format.ts'
import { dataOption, jsonOption } from './options.ts'

export interface NodeOptions {
  data?: string | undefined
  json?: true | undefined
}

/** Asks the node on `options.data` and prints its answer (JSON with --json). */
export async function onNode<T>(options: NodeOptions, ask: (client: ApiClient) => Promise<T>, show: (answer: T) => string): Promise<void> {
  const { client } = await connectToNode(resolveDataDir(options.data))
  const answer = await ask(client)
  if (options.json === true) printJson(answer)
  else process.stdout.write(show(answer))
}

export function queryCommand<T>(name: string, description: string, ask: (client: ApiClient) => Promise<T>, show: (answer: T) => string) {
  return new Command(name)
    .description(description)
    .addOption(dataOption())
    .addOption(jsonOption())
    .action((options) => onNode(options, ask, show))
}
