// Loads a bundle of dist/ as `require` would, through a V8 code cache kept
// beside it (<bundle>.<key>.v8-cache, build output like the bundle): without one,
// Node compiles the 3 MB bundle's functions again on every run, about a tenth
// of `npm run synth`. The cache is written when the process exits, so that it
// holds the functions the run compiled, and rewritten whenever V8 refuses it
// (a rebuilt bundle, another Node). Anything wrong with it costs only the
// compilation it would have saved: the bundle then runs as it always did.
const { createHash } = require("node:crypto");
const { readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname } = require("node:path");
const vm = require("node:vm");

function readCache(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function writeCache(path, script) {
  try {
    const scratch = `${path}.${process.pid}`;
    writeFileSync(scratch, script.createCachedData());
    renameSync(scratch, path);
  } catch {
    // A read-only dist/: the next run compiles again.
  }
}

/**
 * The cache's name for this bundle as it is now, under this Node and these V8 flags. V8 refuses a cache
 * made by another Node or under other flags, but it tells sources apart only by their length: the
 * bundle's size and modification time are in the name, so that a rebuilt bundle is never run with the
 * code of the one before. Each set of flags (on the command line or in NODE_OPTIONS) has a cache of
 * its own, and runs of both do not overwrite each other's.
 */
function cachePathOf(file) {
  const { size, mtimeMs } = statSync(file);
  const runtime = createHash("sha256").update(
    `${process.version} ${process.arch} ${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`,
  );
  return `${file}.${size}.${Math.round(mtimeMs * 1000)}.${runtime.digest("hex").slice(0, 12)}.v8-cache`;
}

/**
 * Runs `file` (an absolute path) as the CommonJS module `require(file)` would, through its code cache.
 * Returns its exports, and whether V8 took the cache (false: it is written when the process exits).
 */
function requireWithCodeCache(file) {
  const cachePath = cachePathOf(file);
  const cachedData = readCache(cachePath);
  const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  if (!cached) process.once("exit", () => writeCache(cachePath, script));
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(dirname(file));
  require.cache[file] = loaded;
  script.runInThisContext().call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, dirname(file));
  loaded.loaded = true;
  return { exports: loaded.exports, cached };
}

module.exports = { requireWithCodeCache };
