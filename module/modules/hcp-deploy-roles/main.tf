# HCP Terraform deploy roles for one workspace, for teams that run Terraform
# without cdktf: the OIDC provider of the HCP Terraform host (optional: one
# per account and host), a plan role trusted by the workspace's plan runs
# only, and an apply role trusted by its apply runs only. The same roles the
# cdktf state bootstrap creates (modules/stacks/hcp-deploy-roles.ts).
#
# HashiCorp, "Use dynamic credentials with the AWS provider"
# (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration):
# provider URL https://<hostname>, audience aws.workload.identity, subject
# organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>;
# the workspace names the roles in TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN.

terraform {
  required_version = ">= 1.10.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

locals {
  subject           = "organization:${var.organization}:project:${coalesce(var.project, "*")}:workspace:${var.workspace}:run_phase"
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.hcp_terraform[0].arn : var.oidc_provider_arn
  plan_role_name    = coalesce(var.plan_role_name, "${var.apply_role_name}-plan")
}

# IAM user guide, "Create an OpenID Connect (OIDC) identity provider in IAM": the URL is the token
# issuer, the client ID the audience; IAM verifies a provider whose certificate comes from a trusted
# root CA without a thumbprint.
resource "aws_iam_openid_connect_provider" "hcp_terraform" {
  count          = var.create_oidc_provider ? 1 : 0
  url            = "https://${var.hostname}"
  client_id_list = [var.audience]
}

# IAM user guide, "Create a role for OpenID Connect federation": the Federated principal is the
# provider, the action sts:AssumeRoleWithWebIdentity, the provider's aud and sub claims the keys.
data "aws_iam_policy_document" "trust" {
  for_each = toset(["plan", "apply"])

  statement {
    sid     = "HcpTerraform${title(each.key)}RunsOfThisWorkspace"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.hostname}:aud"
      values   = [var.audience]
    }
    condition {
      test     = "StringLike"
      variable = "${var.hostname}:sub"
      values   = ["${local.subject}:${each.key}"]
    }
  }
}

resource "aws_iam_role" "apply" {
  name               = var.apply_role_name
  description        = "HCP Terraform apply runs of ${var.organization}/${var.workspace}"
  assume_role_policy = data.aws_iam_policy_document.trust["apply"].json
  tags               = var.tags
}

resource "aws_iam_role" "plan" {
  name               = local.plan_role_name
  description        = "HCP Terraform plan runs of ${var.organization}/${var.workspace} (reads only)"
  assume_role_policy = data.aws_iam_policy_document.trust["plan"].json
  tags               = var.tags
}

# Inline: the policies live and die with their roles (IAM user guide, "Managed policies and inline policies").
resource "aws_iam_role_policy" "apply" {
  name   = "deployer"
  role   = aws_iam_role.apply.id
  policy = var.apply_policy_json
}

resource "aws_iam_role_policy" "plan" {
  name   = "plan-reader"
  role   = aws_iam_role.plan.id
  policy = var.plan_policy_json
}
