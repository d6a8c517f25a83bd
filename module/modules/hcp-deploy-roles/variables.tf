variable "organization" {
  description = "HCP Terraform organization of the workspace."
  type        = string
}

variable "project" {
  description = "HCP Terraform project of the workspace; null admits any project (workspace names are unique in an organization)."
  type        = string
  default     = null
}

variable "workspace" {
  description = "Name of the workspace whose runs may assume the roles (* admits every workspace of the organization and project: avoid)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_*-]{1,90}$", var.workspace))
    error_message = "workspace: ${jsonencode(var.workspace)} is not allowed; allowed: a workspace name (letters, digits, _ and -)."
  }
}

variable "hostname" {
  description = "HCP Terraform host (Terraform Enterprise: its host name)."
  type        = string
  default     = "app.terraform.io"
}

variable "audience" {
  description = "Audience of the workload identity tokens (TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE, default aws.workload.identity)."
  type        = string
  default     = "aws.workload.identity"
}

variable "create_oidc_provider" {
  description = "Create the IAM OIDC provider for the host (one per account and host; false to reuse oidc_provider_arn)."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "ARN of an existing OIDC provider for the host, when create_oidc_provider is false."
  type        = string
  default     = null

  validation {
    condition     = var.create_oidc_provider == (var.oidc_provider_arn == null)
    error_message = "oidc_provider_arn: set it exactly when create_oidc_provider is false."
  }
}

variable "apply_role_name" {
  description = "Name of the apply role (TFC_AWS_APPLY_ROLE_ARN)."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,59}$", var.apply_role_name))
    error_message = "apply_role_name: ${jsonencode(var.apply_role_name)} is not allowed; allowed: 1-59 of letters, digits and +=,.@_- (the plan role adds -plan within IAM's 64)."
  }
}

variable "plan_role_name" {
  description = "Name of the plan role (TFC_AWS_PLAN_ROLE_ARN); default <apply_role_name>-plan."
  type        = string
  default     = null
}

variable "apply_policy_json" {
  description = "The apply role's permissions: the deployer policy (examples/deployer-iam-policy.json, or the deployer-iam-policy.json written beside a synthesized stack)."
  type        = string
}

variable "plan_policy_json" {
  description = "The plan role's permissions, which only read: examples/plan-iam-policy.json (the deployer policy cut to the provider's read calls)."
  type        = string
}

variable "tags" {
  description = "Tags on both roles."
  type        = map(string)
  default     = {}
}
