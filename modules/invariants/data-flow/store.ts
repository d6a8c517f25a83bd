/**
 * A store: somewhere a stack puts data under one of its keys, who writes it
 * and how a reader reads it, as the requests AWS evaluates (S3, KMS, SQS,
 * SNS...), each with the request context the service documents sending.
 */
import type { Decision } from "../iam-engine";
import type { Requests } from "../requests";

export interface Step {
  /** The request, in words: `s3:PutObject on <bucket>/<key>`. */
  readonly what: string;
  readonly run: () => Promise<Decision>;
}

export interface Store {
  /** The Terraform address a finding names (the bucket, stream, queue...). */
  readonly resource: string;
  /** What is stored, for messages: `CALL_RECORDINGS objects under connect/CallRecordings/`. */
  readonly what: string;
  /** Who writes it, and the requests it makes (every one must be allowed). */
  readonly writer: string;
  readonly writes: readonly Step[];
  /** The requests a reader makes (all allowed for one principal = that principal reads it). */
  readonly reads: (reader: string) => readonly Step[];
  /** Readers that are not AWS principals (e-mail subscribers of a topic). @default none */
  readonly otherReaders?: readonly string[];
  /** The declaration field that names the readers. */
  readonly readerField: readonly string[];
  /** The page the write and the read rest on. */
  readonly source: string;
}

/** A step from a decision-returning request. */
export const step = (what: string, run: () => Promise<Decision>): Step => ({ what, run });

/** What one kind of store contributes: the stores of that kind in a stack. */
export type StoreFinder = (requests: Requests) => Store[];
