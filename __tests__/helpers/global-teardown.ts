/** Runs once after the suite: stops the shared provider process that global-setup.ts started. */
import { STOP_SHARED_PROVIDER } from "./global-setup";

export default function globalTeardown(): void {
  const stop = (globalThis as Record<symbol, unknown>)[STOP_SHARED_PROVIDER] as (() => void) | undefined;
  stop?.();
}
