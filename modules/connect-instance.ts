import { Construct } from "constructs";
import { ConnectInstance as ConnectInstanceResource } from "@cdktf/provider-aws/lib/connect-instance";
import { DataAwsConnectInstance } from "@cdktf/provider-aws/lib/data-aws-connect-instance";

export interface NewInstanceProps {
  /** Instance alias: 2-64 letters, digits or hyphens, not starting with `d-`. Part of the access URL. */
  readonly alias: string;
  /**
   * How agents sign in: `CONNECT_MANAGED`, `SAML` or `EXISTING_DIRECTORY`.
   * @default "CONNECT_MANAGED"
   */
  readonly identityManagementType?: "CONNECT_MANAGED" | "SAML" | "EXISTING_DIRECTORY";
  /**
   * AWS Directory Service directory; required with `EXISTING_DIRECTORY`.
   * @default none
   */
  readonly directoryId?: string;
  /** @default true */
  readonly inboundCallsEnabled?: boolean;
  /** @default true */
  readonly outboundCallsEnabled?: boolean;
  /**
   * Flow logs in CloudWatch: the audit trail of what each contact went through.
   * @default true
   */
  readonly contactFlowLogsEnabled?: boolean;
  /**
   * Contact Lens analytics; its output lands under `Analysis/` in the recordings bucket.
   * @default true
   */
  readonly contactLensEnabled?: boolean;
  /**
   * Refuse to destroy the instance through Terraform. Connect allows only 100
   * instance creations and deletions per 30 days, and a deleted instance's
   * phone numbers, users and flows are gone.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ConnectInstanceProps {
  /** Create a new instance with these settings. Exactly one of `create` and `adoptInstanceId`. */
  readonly create?: NewInstanceProps;
  /**
   * Attach to an existing instance by its ID; nothing about the instance
   * itself is managed. Exactly one of `create` and `adoptInstanceId`.
   */
  readonly adoptInstanceId?: string;
}

/**
 * The Amazon Connect instance that storage is attached to: created here, or
 * an existing one adopted by ID (then only read, never changed).
 */
export class ConnectInstance extends Construct {
  readonly instanceId: string;
  readonly instanceArn: string;
  /** ARN of the instance's service-linked role, the principal Connect writes with. */
  readonly serviceRoleArn: string;
  /** The created instance, or undefined when an existing one is adopted. */
  readonly created?: ConnectInstanceResource;

  constructor(scope: Construct, id: string, props: ConnectInstanceProps) {
    super(scope, id);
    if ((props.create === undefined) === (props.adoptInstanceId === undefined)) {
      throw new Error(`${this.node.path}: set exactly one of create and adoptInstanceId`);
    }
    if (props.create) {
      const create = props.create;
      const instance = new ConnectInstanceResource(this, "Resource", {
        instanceAlias: create.alias,
        identityManagementType: create.identityManagementType ?? "CONNECT_MANAGED",
        directoryId: create.directoryId,
        inboundCallsEnabled: create.inboundCallsEnabled ?? true,
        outboundCallsEnabled: create.outboundCallsEnabled ?? true,
        contactFlowLogsEnabled: create.contactFlowLogsEnabled ?? true,
        contactLensEnabled: create.contactLensEnabled ?? true,
        tags: create.tags,
        lifecycle: { preventDestroy: create.preventDestroy ?? true },
      });
      this.created = instance;
      this.instanceId = instance.id;
      this.instanceArn = instance.arn;
      this.serviceRoleArn = instance.serviceRole;
    } else {
      const existing = new DataAwsConnectInstance(this, "Resource", { instanceId: props.adoptInstanceId });
      this.instanceId = existing.id;
      this.instanceArn = existing.arn;
      this.serviceRoleArn = existing.serviceRole;
    }
  }
}
