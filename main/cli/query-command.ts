/** A command that asks the running node one question and prints the answer: JSON with --json, else for people. */
import { Command } from '@commander-js/extra-typings'
import type { ApiClient } from '../../shared/api/client.ts'
import { resolveDataDir } from '../node/options.ts'
import { connectToNode } from './api-client.ts'
import { printJson } from './format.ts'
import { dataOption, jsonOption } from './options.ts'

export function queryCommand<T>(name: string, description: string, ask: (client: ApiClient) => Promise<T>, show: (answer: T) => string) {
  return new Command(name)
    .description(description)
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(async (options) => {
      const { client } = await connectToNode(resolveDataDir(options.data))
      const answer = await ask(client)
      if (options.json === true) printJson(answer)
      else process.stdout.write(show(answer))
    })
}
