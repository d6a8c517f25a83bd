# A Terraform-first root module: two contact centres, each under its own
# customer-managed key, from one module call with for_each, deployed through
# an aliased provider (here: the contact-centre account's role).

terraform {
  required_version = ">= 1.10.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "contact_centre"
  region = var.region
  # assume_role { role_arn = "arn:aws:iam::111122223333:role/ConnectTerraform" }
}

variable "region" {
  type        = string
  description = "Region of the contact centres."
  default     = "eu-west-2"
}

variable "contact_centres" {
  type = map(object({
    instance_alias = optional(string)
    instance_id    = optional(string)
    email          = optional(bool, false)
  }))
  description = "One entry per contact centre: a new instance (instance_alias) or an existing one (instance_id)."
  default = {
    uk = { instance_alias = "acme-contact-uk", email = true }
    ie = { instance_id = "11111111-2222-3333-4444-555555555555" }
  }
}

variable "deployer_role_arn" {
  type        = string
  description = "Role that runs Terraform (named in the key policies)."
  default     = "arn:aws:iam::111122223333:role/ConnectTerraform"
}

module "connect_encryption" {
  # In your configuration: "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v0.1.0"
  source   = "../../module"
  for_each = var.contact_centres

  providers = { aws = aws.contact_centre }

  name            = "acme-cc-${each.key}"
  create_instance = each.value.instance_id == null
  instance_alias  = each.value.instance_alias
  instance_id     = each.value.instance_id
  key_deployers   = [var.deployer_role_arn]

  s3_storage = merge(
    { CALL_RECORDINGS = {}, CHAT_TRANSCRIPTS = {}, SCREEN_RECORDINGS = {}, ATTACHMENTS = {} },
    each.value.email ? { EMAIL_MESSAGES = { prefix = "connect/Email" } } : {},
  )
  contact_trace_records_destination = each.key == "uk" ? "firehose" : "kinesis"

  tags = { ContactCentre = each.key }
}

output "key_arns" {
  description = "Customer-managed key per contact centre."
  value       = { for name, centre in module.connect_encryption : name => centre.key_arn }
}

output "encryption_configuration" {
  description = "How each contact centre's content is encrypted."
  value       = { for name, centre in module.connect_encryption : name => centre.encryption_configuration }
}
