# Mock answers of the AWS provider in eu-west-2, for the examples' terraform test
# files (mock_provider "aws" { source = "../mocks/aws-eu-west-2" }): no credentials,
# fake or real, and no call to AWS. Data sources and computed attributes are
# fixed by resource TYPE, so that no internal name of the module is needed,
# and known during plan so that the assertions can compare them.

# Policy documents are mocked too: every policy then reads as this empty
# document, so the examples assert encryption and names, not policies (those
# are evaluated by the access matrix and the offline recipe's real provider).
mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}
mock_data "aws_caller_identity" {
  defaults = {
    account_id = "111122223333"
    arn        = "arn:aws:sts::111122223333:assumed-role/ConnectTerraform/ci"
  }
}
mock_data "aws_iam_session_context" {
  defaults = { issuer_arn = "arn:aws:iam::111122223333:role/ConnectTerraform" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_data "aws_region" {
  defaults = { id = "eu-west-2", name = "eu-west-2" }
}
mock_data "aws_connect_instance" {
  defaults = {
    id           = "11111111-2222-3333-4444-555555555555"
    arn          = "arn:aws:connect:eu-west-2:111122223333:instance/11111111-2222-3333-4444-555555555555"
    service_role = "arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_A"
  }
}
mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:eu-west-2:111122223333:key/0a1b2c3d-0000-4000-8000-000000000001"
    key_id = "0a1b2c3d-0000-4000-8000-000000000001"
  }
}
mock_resource "aws_connect_instance" {
  defaults = {
    id           = "99999999-8888-7777-6666-555555555555"
    arn          = "arn:aws:connect:eu-west-2:111122223333:instance/99999999-8888-7777-6666-555555555555"
    service_role = "arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_B"
  }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111122223333:role/mock-role" }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::mock-bucket" }
}
mock_resource "aws_kinesis_stream" {
  defaults = { arn = "arn:aws:kinesis:eu-west-2:111122223333:stream/mock" }
}
mock_resource "aws_kinesis_firehose_delivery_stream" {
  defaults = { arn = "arn:aws:firehose:eu-west-2:111122223333:deliverystream/mock" }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-west-2:111122223333:mock" }
}
mock_resource "aws_sqs_queue" {
  defaults = { arn = "arn:aws:sqs:eu-west-2:111122223333:mock" }
}
mock_resource "aws_cloudtrail" {
  defaults = { arn = "arn:aws:cloudtrail:eu-west-2:111122223333:trail/mock" }
}
