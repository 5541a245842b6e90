import { isDrydockError } from "@drydock/kernel";
import { fail, isCliError } from "../errors.js";

/**
 * Errors the client prints as they are, without "Error response from daemon:": the docker CLI
 * parses references itself (distribution/reference) before it calls the API; a push that is
 * denied is reported by the push stream, not as a daemon error; drydock's own "not in the
 * catalogue" is drydock speaking, not the daemon. Decided by code, never by text.
 */
const CLIENT_SIDE = new Set(["EREFERENCE", "EDIGEST", "EDENIED", "ENOTINCATALOGUE"]);

/** Runs an operation of the image store or registries and turns its errors into the CLI's. */
export function daemonCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isCliError(e) || !isDrydockError(e)) throw e;
    if (CLIENT_SIDE.has(e.code)) fail("CLIENT", e.message);
    return fail("DAEMON", e.message);
  }
}
