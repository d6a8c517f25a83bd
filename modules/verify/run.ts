/** Runs every check in order and reports progress. */
import { AwsClients, checkBucket, checkKey, checkNewestObject, checkStorageConfigs, checkStreams } from "./checks";
import { CheckResult, DeployedOutputs, Expectations } from "./model";

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
  const prefixes: [string, string][] = [...storage.s3Prefixes, ...Object.entries(CONTACT_LENS_PREFIXES)];
  for (const [label, prefix] of prefixes) {
    progress(`looking for the newest object under ${prefix}/`);
    results.push(...(await checkNewestObject(aws, outputs, label, prefix, now)));
  }
  progress("checking the streams");
  results.push(...(await checkStreams(aws, outputs)));
  return results;
}
