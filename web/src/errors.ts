import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";

/** "INVALID_ARGUMENT" for Code.InvalidArgument: the name the server and the docs use. */
function codeName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** An error in plain words: the gRPC status and the server's message. */
export function describe(error: unknown): string {
  if (error instanceof ConnectError) {
    const info = error.findDetails(ErrorInfoSchema)[0];
    const code = codeName(error.code);
    const reason = info?.reason && info.reason !== code ? ` (${info.reason})` : "";
    return `${code}${reason}: ${error.rawMessage || "no message"}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The fields the server objected to, by the console's field names: BadRequest field violations ("user.email" is
 * "email"), and the field an ALREADY_EXISTS names in its ErrorInfo metadata.
 */
export function fieldViolations(error: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (!(error instanceof ConnectError)) return fields;
  for (const badRequest of error.findDetails(BadRequestSchema)) {
    for (const v of badRequest.fieldViolations) {
      const name = v.field.replace(/^(user|product)\./, "");
      fields.set(name, fields.has(name) ? `${fields.get(name)}; ${v.description}` : v.description);
    }
  }
  const taken = error.findDetails(ErrorInfoSchema).find((i) => i.metadata.field);
  if (error.code === Code.AlreadyExists && taken) fields.set(taken.metadata.field, error.rawMessage);
  return fields;
}

export function isCanceled(error: unknown): boolean {
  return error instanceof ConnectError && error.code === Code.Canceled;
}
