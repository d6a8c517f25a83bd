/** Every resource and data source type the stacks use, with the calls the provider makes for it (types.ts). */
import { ALERT_CALLS } from "./alerts";
import { CONNECT_CALLS } from "./connect";
import { KMS_IAM_CALLS } from "./kms-iam";
import { S3_CALLS } from "./s3";
import { STREAM_CALLS } from "./streams";
import type { ResourceCalls } from "./types";

export const PROVIDER_CALLS: Readonly<Record<string, ResourceCalls>> = {
  ...S3_CALLS,
  ...KMS_IAM_CALLS,
  ...CONNECT_CALLS,
  ...STREAM_CALLS,
  ...ALERT_CALLS,
};

export type { ApiCall, DependentPermission, Phase, ResourceCalls, ResourceView } from "./types";
