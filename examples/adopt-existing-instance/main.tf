# Adopting a running contact centre with the Terraform module: the instance
# exists (created in the console) and already has storage associations.
# Connect associates a storage type only once, so the module's associations
# must take the existing ones over in place: import them into the module's
# addresses first, and the first apply updates them to the module's bucket,
# prefix and key.
#
# `import` blocks are only allowed in the root module, so they are written
# here, next to the module call, and address the module's resources:
#
#   module.<name>.aws_connect_instance_storage_config.storage_<type in lower case>[0]
#
# ([0]: every association in the module is counted, 0 or 1, by its input).
# The import ID is the provider's: "<instance-id>:<association-id>:<TYPE>".
# Find the association IDs with `npm run discover -- <env>` (in this
# repository) or `aws connect list-instance-storage-configs --instance-id <id>
# --resource-type <TYPE>` for each type. Write one block per association of a
# type that the module call enables; an association of a type it leaves off
# stays as it is (and may stay outside the key).

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
  region = "eu-west-2"
}

variable "instance_id" {
  type        = string
  description = "ID of the running Amazon Connect instance."
  default     = "8c0e6b4f-3a2d-4e5f-9a1b-2c3d4e5f6a7b"
}

variable "existing_associations" {
  type        = map(string)
  description = "The instance's existing association ID per storage type, as discovery lists them."
  default = {
    CALL_RECORDINGS       = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    CHAT_TRANSCRIPTS      = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
    CONTACT_TRACE_RECORDS = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
    MEDIA_STREAMS         = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
  }
}

module "contact_centre" {
  # In your configuration: "git::https://github.com/<org>/connect-kms-encryption.git//module?ref=v0.1.0"
  source = "../../module"

  name            = "acme-cc-uk"
  create_instance = false
  instance_id     = var.instance_id
  key_deployers   = ["arn:aws:iam::111122223333:role/ConnectTerraform"]

  s3_storage                        = { CALL_RECORDINGS = {}, CHAT_TRANSCRIPTS = {} }
  contact_trace_records_destination = "firehose"
}

# One import block per existing association the module takes over.

import {
  to = module.contact_centre.aws_connect_instance_storage_config.storage_call_recordings[0]
  id = "${var.instance_id}:${var.existing_associations["CALL_RECORDINGS"]}:CALL_RECORDINGS"
}

import {
  to = module.contact_centre.aws_connect_instance_storage_config.storage_chat_transcripts[0]
  id = "${var.instance_id}:${var.existing_associations["CHAT_TRANSCRIPTS"]}:CHAT_TRANSCRIPTS"
}

# Contact trace records: storage_contact_trace_records with
# contact_trace_records_destination = "firehose",
# storage_contact_trace_records_kinesis_stream with "kinesis".
import {
  to = module.contact_centre.aws_connect_instance_storage_config.storage_contact_trace_records[0]
  id = "${var.instance_id}:${var.existing_associations["CONTACT_TRACE_RECORDS"]}:CONTACT_TRACE_RECORDS"
}

import {
  to = module.contact_centre.aws_connect_instance_storage_config.storage_media_streams[0]
  id = "${var.instance_id}:${var.existing_associations["MEDIA_STREAMS"]}:MEDIA_STREAMS"
}

output "storage_association_ids" {
  description = "After the first apply: the existing association IDs, now managed by the module."
  value       = module.contact_centre.storage_association_ids
}
