import { Construct } from "constructs";
import { ConnectInstance as ConnectInstanceResource } from "@cdktf/provider-aws/lib/connect-instance";
import { DataAwsConnectInstance } from "@cdktf/provider-aws/lib/data-aws-connect-instance";
import { Condition, applyCondition, attributeOf, choose, mayExist, not } from "./condition";

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
   * phone numbers, users and flows are gone. (Terraform needs a literal here:
   * it cannot come from a module input.)
   * @default true
   */
  readonly preventDestroy?: boolean;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ConnectInstanceProps {
  /**
   * Create a new instance (true) or adopt an existing one (false); in the
   * Terraform module, an expression decided by the caller's inputs.
   * @default true when `newInstance` is given, else false
   */
  readonly create?: Condition;
  /** Settings of the instance to create; required when it may be created. */
  readonly newInstance?: NewInstanceProps;
  /** ID of the existing instance to attach to; required when it may be adopted. Nothing about it is changed. */
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
  /** The instance's alias: the first label of its access URL (`https://<alias>.my.connect.aws`). */
  readonly instanceAlias: string;
  /** The created instance, or undefined when an existing one is always adopted. */
  readonly created?: ConnectInstanceResource;

  constructor(scope: Construct, id: string, props: ConnectInstanceProps) {
    super(scope, id);
    const create = props.create ?? props.newInstance !== undefined;
    const adopt = not(create);
    if (mayExist(create) && !props.newInstance) throw new Error(`${this.node.path}: creating an instance needs newInstance`);
    if (mayExist(adopt) && props.adoptInstanceId === undefined)
      throw new Error(`${this.node.path}: adopting an instance needs adoptInstanceId`);

    const from = <T>(
      created: (r: ConnectInstanceResource) => T,
      adopted: (d: DataAwsConnectInstance) => T,
      c: ConnectInstanceResource | undefined,
      d: DataAwsConnectInstance | undefined,
    ): T => (c && d ? choose(create, created(c), adopted(d)) : c ? created(c) : adopted(d!));

    let existing: DataAwsConnectInstance | undefined;
    if (mayExist(create)) {
      const settings = props.newInstance!;
      this.created = applyCondition(
        new ConnectInstanceResource(this, "Resource", {
          instanceAlias: settings.alias,
          identityManagementType: settings.identityManagementType ?? "CONNECT_MANAGED",
          directoryId: settings.directoryId,
          inboundCallsEnabled: settings.inboundCallsEnabled ?? true,
          outboundCallsEnabled: settings.outboundCallsEnabled ?? true,
          contactFlowLogsEnabled: settings.contactFlowLogsEnabled ?? true,
          contactLensEnabled: settings.contactLensEnabled ?? true,
          tags: settings.tags,
          lifecycle: { preventDestroy: settings.preventDestroy ?? true },
        }),
        create,
      );
    }
    if (mayExist(adopt)) {
      existing = applyCondition(
        new DataAwsConnectInstance(this, mayExist(create) ? "existing" : "Resource", { instanceId: props.adoptInstanceId }),
        adopt,
      );
    }
    const attribute = (name: string): string =>
      from(
        (c) => attributeOf(c, name, create),
        (d) => attributeOf(d, name, adopt),
        this.created,
        existing,
      );
    this.instanceId = attribute("id");
    this.instanceArn = attribute("arn");
    this.serviceRoleArn = attribute("service_role");
    this.instanceAlias = attribute("instance_alias");
  }
}
