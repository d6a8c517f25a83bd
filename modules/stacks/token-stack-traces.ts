/**
 * cdktf captures a full stack trace for every token it creates, only to
 * explain a token it later cannot resolve: a fifth of synthesis, and several
 * times more under jest, which source-maps each capture. Those captures go on
 * plain objects; this skips them, while errors keep their traces.
 */
export function skipTokenStackTraces(): void {
  const captureStackTrace = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, constructor?: Function): void => {
    if (target instanceof Error) captureStackTrace(target, constructor);
  };
}
