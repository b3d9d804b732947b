// A team's code against the installed @opentact/events: compiled with tsc --strict from the
// package's own declarations. Every `@ts-expect-error` must be an error, or tsc fails.

import {
  EVENT_TYPES,
  KINDS,
  VERSION,
  isAuthEvent,
  isCallStateEvent,
  isEvent,
  parse,
  ParseError,
  validate,
  validateBody,
  type BodyResult,
  type ErrorKind,
  type Event,
  type EventType,
  type ValidationError,
  type ValidationResult,
} from "@opentact/events";

export function describe(event: Event): string {
  switch (event.type) {
    case "call_state":
      // Narrowed to CallStateEvent: the call and its state are there.
      return `${event.call.uuid} ${event.call.state} ${event.payload.duration}`;
    case "auth":
      // Narrowed to AuthEvent.
      return `${event.payload.user.email} ${event.payload.user.role}`;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export function handle(body: string): string[] {
  const value: unknown = JSON.parse(body);
  const result: ValidationResult = validate(value);
  if (!result.valid) {
    return result.errors.map((e: ValidationError) => `${e.pointer} ${e.kind}: ${e.message}`);
  }
  if (isCallStateEvent(value)) {
    const state: "init" | "ringing" | "live" | "hangup" | "destroyed" = value.call.state;
    return [state];
  }
  if (isAuthEvent(value)) {
    return [value.payload.user.uuid];
  }
  if (isEvent(value, { unknownFields: "allow" })) {
    return [describe(value)];
  }
  // @ts-expect-error: `value` is still unknown here.
  return [value.type];
}

export const kinds: readonly ErrorKind[] = KINDS;
export const types: readonly EventType[] = EVENT_TYPES;
export const version: string = VERSION;

// @ts-expect-error: not a kind evschema reports.
export const notAKind: ErrorKind = "missing";

// @ts-expect-error: only "deny" and "allow".
validate({}, { unknownFields: "ignore" });

export function wrongField(event: Event): unknown {
  if (event.type === "auth") {
    // @ts-expect-error: an auth event has no call.
    return event.call.state;
  }
  return null;
}

// Reading a body as the contract does: the verdict, the parsed event, the error's position.
export function receive(body: string | Uint8Array): string {
  const result: BodyResult = validateBody(body);
  if (!result.valid) {
    const [first] = result.errors;
    return first === undefined ? "" : `${first.kind} at ${first.line ?? "?"}:${first.column ?? "?"}: ${first.message}`;
  }
  try {
    const value: unknown = parse(body);
    return isEvent(value) ? value.type : "not an event";
  } catch (err) {
    if (err instanceof ParseError) return `${err.error.line}:${err.error.column}`;
    throw err;
  }
}

export const parseKind: ErrorKind = "parse";
