/**
 * cdktf captures a full stack trace for every token it creates, only to
 * explain a token it later cannot resolve; under jest each capture is also
 * source-mapped, which makes synthesis several times slower. Skip those
 * captures (they go on plain objects); errors keep theirs. main.ts does the
 * same for synthesis.
 */
const captureStackTrace = Error.captureStackTrace;
Error.captureStackTrace = (target: object, constructor?: Function): void => {
  if (target instanceof Error) captureStackTrace(target, constructor);
};
