/** Reaches the node running on a data folder through the API address in its api.json. */
import { createApiClient, type ApiClient } from '../../shared/api/client.ts'
import { createHttpTransport } from '../../shared/api/http-transport.ts'
import { readApiFile, type ApiFile } from '../api/api-file.ts'
import { dataDirLayout } from '../node/data-dir.ts'

export interface RunningNode {
  client: ApiClient
  apiFile: ApiFile
}

export async function connectToNode(dataDir: string): Promise<RunningNode> {
  const apiFile = await readApiFile(dataDirLayout(dataDir).apiFile, dataDir)
  return { client: createApiClient(createHttpTransport(apiFile)), apiFile }
}
