output "apply_role_arn" {
  description = "TFC_AWS_APPLY_ROLE_ARN of the workspace."
  value       = aws_iam_role.apply.arn
}

output "plan_role_arn" {
  description = "TFC_AWS_PLAN_ROLE_ARN of the workspace."
  value       = aws_iam_role.plan.arn
}

output "oidc_provider_arn" {
  description = "The OIDC provider the roles trust."
  value       = local.oidc_provider_arn
}
