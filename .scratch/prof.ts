const t0 = performance.now();
import { renderModuleFiles } from "../modules/connect-encryption-module";
const t1 = performance.now();
renderModuleFiles();
const t2 = performance.now();
renderModuleFiles();
const t3 = performance.now();
console.log(`import ${(t1 - t0).toFixed(0)}ms, first render ${(t2 - t1).toFixed(0)}ms, second ${(t3 - t2).toFixed(0)}ms`);
