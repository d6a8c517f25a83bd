// Stands in for `child_process` where cdktf requires it in the bundle: cdktf
// loads it when it starts, for what synthesis never runs (its Testing
// helpers' Terraform version check, copies of asset directories), and Node's
// child_process pulls in about thirty internal modules (streams, net, dgram).
// The real module is loaded on the first use of any of its members. This
// package's own code imports `node:child_process`, which is not replaced.
let real;
const load = () => (real ??= require("node:child_process"));
module.exports = new Proxy(
  {},
  {
    get: (_, key) => load()[key],
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => Object.getOwnPropertyDescriptor(load(), key),
  },
);
