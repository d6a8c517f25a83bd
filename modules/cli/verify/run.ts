/** Runs every check in order and reports progress. */
import {
  AwsClients,
  NewestObject,
  checkBucket,
  checkKey,
  checkNewestObject,
  checkOtherBucket,
  checkStorageConfigs,
  checkStreams,
} from "./checks";
import {
  checkAlertsDeadLetterQueue,
  checkAlertsKey,
  checkAlertsTopicKey,
  checkAlertsTrail,
  checkProfilesDomain,
  checkReplicatedObject,
  checkTrail,
} from "./checks-controls";
import { CheckResult, DeployedOutputs, Expectations, otherContentBuckets } from "./model";

/** Contact Lens output lands here, beside the recordings and transcripts. */
export const CONTACT_LENS_PREFIXES = { ANALYSIS_VOICE: "Analysis/Voice", ANALYSIS_CHAT: "Analysis/Chat" } as const;

export async function verify(
  aws: AwsClients,
  outputs: DeployedOutputs,
  expected: Expectations,
  progress: (message: string) => void = () => undefined,
  now: Date = new Date(),
): Promise<CheckResult[]> {
  progress("checking the key, its rotation, policy and grants");
  const results = await checkKey(aws, outputs, expected);
  progress("checking the storage configs of the instance");
  const storage = await checkStorageConfigs(aws, outputs);
  results.push(...storage.results);
  progress(`checking bucket ${outputs.s3_bucket_id}`);
  results.push(...(await checkBucket(aws, outputs, expected)));
  // The bucket without Object Lock holds content under the same key, with the same lifecycle and a copy of its own: checked the same way.
  for (const bucket of otherContentBuckets(outputs)) {
    progress(`checking bucket ${bucket}`);
    results.push(...(await checkOtherBucket(aws, outputs, bucket, expected)));
  }
  const prefixes: [string, string][] = [...storage.s3Prefixes, ...Object.entries(CONTACT_LENS_PREFIXES)];
  // The newest object of any prefix, in whichever bucket it is: replication copies the bucket without Object Lock too.
  let newest: NewestObject | undefined;
  const found = (seen: NewestObject): void => {
    if (!newest || (seen.object.LastModified ?? 0) > (newest.object.LastModified ?? 0)) newest = seen;
  };
  for (const [label, prefix] of prefixes) {
    progress(`looking for the newest object under ${prefix}/`);
    results.push(...(await checkNewestObject(aws, outputs, label, prefix, now, 31, found)));
  }
  progress("checking the streams");
  results.push(...(await checkStreams(aws, outputs)));
  if (outputs.replica_bucket_id) progress(`checking that the newest object reached ${outputs.replica_bucket_id}`);
  results.push(...(await checkReplicatedObject(aws, outputs, newest)));
  if (outputs.alerts_topic_arn) progress("checking the key-misuse alerts and the trail that feeds them");
  results.push(...(await checkAlertsTopicKey(aws, outputs)));
  results.push(...(await checkAlertsKey(aws, outputs)));
  results.push(...(await checkAlertsDeadLetterQueue(aws, outputs)));
  results.push(...(await checkTrail(aws, outputs, outputs.key_arn.split(":")[3])));
  results.push(...(await checkAlertsTrail(aws, outputs)));
  if (outputs.customer_profiles_domain_name) progress(`checking Customer Profiles domain ${outputs.customer_profiles_domain_name}`);
  results.push(...(await checkProfilesDomain(aws, outputs)));
  return results;
}
