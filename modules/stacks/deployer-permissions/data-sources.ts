/** Data sources: most are computed by the provider and call nothing. */
import { NameSources, Needs, need } from "./table";

export const DATA_NEEDS: Needs = {
  // SAR sts (list_awssecuritytokenservice.html): GetCallerIdentity takes no resource (and STS
  // allows it even when no policy does).
  aws_caller_identity: [need("any", "sts:GetCallerIdentity")],
  // Computed locally by the provider: no API call.
  aws_partition: [],
  aws_region: [],
  aws_iam_policy_document: [],
  aws_default_tags: [],
  // The provider's aws_iam_session_context calls iam:GetRole on the role behind an assumed-role
  // session (to find its path); the role is the provider's assume_role when declared (below).
  aws_iam_session_context: [],
  // SAR connect: DescribeInstance and DescribeInstanceAttribute take the instance.
  aws_connect_instance: [need("instance", "connect:DescribeInstance", "connect:DescribeInstanceAttribute")],
};

export const DATA_NAMES: NameSources = {
  "data.aws_connect_instance": [{ path: ["instance_id"], scope: "instance" }],
};
