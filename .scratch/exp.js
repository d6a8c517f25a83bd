"use strict";

// .scratch/exp.ts
var import_cdktf = require("cdktf");
var import_kms_key = require("@cdktf/provider-aws/lib/kms-key");
var app = new import_cdktf.App({ outdir: "/tmp/expout", skipValidation: true });
var stack = new import_cdktf.TerraformStack(app, "m");
var v = new import_cdktf.TerraformVariable(stack, "enabled", { type: "bool", default: true });
var k = new import_kms_key.KmsKey(stack, "k", { description: "x" });
k.count = import_cdktf.Token.asNumber(import_cdktf.Fn.conditional(v.booleanValue, 1, 0));
var arn = import_cdktf.Token.asString(import_cdktf.Fn.one((0, import_cdktf.ref)(`${k.fqn}[*].arn`)));
new import_cdktf.TerraformOutput(stack, "arn", { value: arn });
new import_cdktf.TerraformOutput(stack, "pol", { value: import_cdktf.Fn.jsonencode({ a: arn, b: import_cdktf.Fn.concat([[{ x: 1 }], import_cdktf.Fn.conditional(v.booleanValue, [{ y: arn }], [])]) }) });
app.synth();
