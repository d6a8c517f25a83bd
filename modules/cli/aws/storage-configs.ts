/**
 * The instance's storage associations as the read-only commands read them
 * (discover, reencrypt-plan): every page of ListInstanceStorageConfigs for one
 * resource type.
 */
import {
  ConnectClient,
  InstanceStorageConfig,
  InstanceStorageResourceType,
  paginateListInstanceStorageConfigs,
} from "@aws-sdk/client-connect";
import { StorageType } from "../../config/storage-types";
import { call } from "./calls";

/**
 * The instance's associations of one type (ListInstanceStorageConfigs, every
 * page), or undefined, with a note, for a type this instance or Region does
 * not offer (e.g. e-mail where it is not available): that type alone is refused.
 */
export async function listStorageConfigs(
  connect: ConnectClient,
  instanceId: string,
  type: StorageType,
  notes: string[],
): Promise<InstanceStorageConfig[] | undefined> {
  try {
    return await call("connect:ListInstanceStorageConfigs", async () => {
      const all: InstanceStorageConfig[] = [];
      const pages = paginateListInstanceStorageConfigs(
        { client: connect },
        { InstanceId: instanceId, ResourceType: type as InstanceStorageResourceType },
      );
      for await (const page of pages) all.push(...(page.StorageConfigs ?? []));
      return all;
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== "InvalidParameterException" && name !== "InvalidRequestException") throw error;
    notes.push(`${type}: could not be listed (${name}: ${(error as Error).message}); if it is declared, check that the instance offers it`);
    return undefined;
  }
}
