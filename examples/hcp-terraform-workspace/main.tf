# The root configuration of variable-driven HCP Terraform workspaces: one
# configuration (this directory, from a VCS repository or uploaded), one
# workspace per environment, each with its own Terraform variables and
# dynamic provider credentials. The module's validation rules run in every
# workspace's plan.
#
#   1. Workspaces connect-encryption-dev, -staging, -prod in project
#      contact-centre, each tagged connect-encryption and env:<environment>,
#      working directory examples/hcp-terraform-workspace (or a copy of it).
#   2. Per workspace, Terraform variables (name, instance_alias or
#      instance_id, key_deployers, ...) and the environment variables
#      TFC_AWS_PROVIDER_AUTH = true, TFC_AWS_PLAN_ROLE_ARN = <the
#      environment's plan role> and TFC_AWS_APPLY_ROLE_ARN = <its apply
#      role> (the state bootstrap stack creates them: docs/hcp-terraform.md).
#   3. From a shell: `terraform login`, `terraform init`, then
#      `terraform workspace select connect-encryption-prod` (or TF_WORKSPACE).

terraform {
  required_version = ">= 1.10.0"

  cloud {
    organization = "acme"
    # hostname = "app.terraform.io" (the default; set it for Terraform Enterprise)

    workspaces {
      project = "contact-centre"
      tags    = ["connect-encryption"]
    }
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

# No credentials here: with TFC_AWS_PROVIDER_AUTH and the plan and apply role
# ARNs set on the workspace, HCP Terraform gives each run short-lived
# credentials of its phase's role (dynamic provider credentials, OIDC).
provider "aws" {
  region = var.region

  default_tags {
    tags = { Environment = var.environment, ManagedBy = "hcp-terraform" }
  }
}

variable "region" {
  type        = string
  description = "Region of the contact centre."
  default     = "eu-west-2"
}

variable "environment" {
  type        = string
  description = "dev, staging or prod: tags every resource."
}

variable "name" {
  type        = string
  description = "Leading part of every name, e.g. acme-connect-prod."
}

variable "instance_alias" {
  type        = string
  description = "Alias of a new instance (default: name)."
  default     = null
}

variable "instance_id" {
  type        = string
  description = "ID or ARN of an existing instance to attach to instead."
  default     = null
}

variable "key_deployers" {
  type        = list(string)
  description = "The apply role of this workspace (TFC_AWS_APPLY_ROLE_ARN), named in the key policy."
  default     = []
}

variable "s3_storage" {
  type        = map(object({ prefix = optional(string) }))
  description = "S3-backed storage types to associate (the module's default when null)."
  default     = null
}

module "connect_encryption" {
  # In your configuration: "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v0.1.0"
  source = "../../module"

  name            = var.name
  create_instance = var.instance_id == null
  instance_alias  = var.instance_alias
  instance_id     = var.instance_id
  key_deployers   = var.key_deployers
  s3_storage = coalesce(var.s3_storage, {
    CALL_RECORDINGS   = {}
    CHAT_TRANSCRIPTS  = {}
    SCREEN_RECORDINGS = {}
    ATTACHMENTS       = {}
  })
}

output "key_arn" {
  description = "The customer-managed key."
  value       = module.connect_encryption.key_arn
}

output "encryption_configuration" {
  description = "How the content is encrypted (evidence for auditors)."
  value       = module.connect_encryption.encryption_configuration
}
