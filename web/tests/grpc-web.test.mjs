// gRPC-Web from Node with connect-web's transport (binary) against a real server's web address.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "../src/gen/google/rpc/error_details_pb.js";
import { UserEvent_EventType } from "../src/gen/user/v1/user_pb.js";
import { clients, signedIn } from "./connect.mjs";
import { startServer } from "./server.mjs";

let server;
before(async () => (server = await startServer()));
after(async () => server?.stop());

test("grpc-web: sign in with AuthService.Login", async () => {
  const { tokens } = await signedIn(server);
  assert.ok(tokens.accessToken.length > 20, "an access token");
  assert.ok(tokens.refreshToken.length > 0, "a refresh token");
  assert.ok(tokens.roles.includes("admin"), `roles ${tokens.roles}`);
});

test("grpc-web: a unary call creates a user and reads it back", async () => {
  const { users } = await signedIn(server);
  const { user } = await users.createUser({ username: "web-unary", email: "web-unary@example.com", fullName: "Web Unary" });
  assert.ok(user.id > 0n);
  const read = await users.getUser({ userId: user.id });
  assert.equal(read.username, "web-unary");
  assert.equal(read.fullName, "Web Unary");
  assert.equal(read.etag, user.etag);
});

test("grpc-web: WatchUserChanges (server stream) sees a user created meanwhile", async () => {
  const { users } = await signedIn(server);
  const controller = new AbortController();
  const seen = (async () => {
    // From revision 0: the replay and the live part are one ordered stream, so the create cannot be missed.
    let previous = 0n;
    for await (const event of users.watchUserChanges({ startRevision: 0n }, { signal: controller.signal })) {
      assert.ok(event.revision > previous, `revisions grow: ${event.revision} after ${previous}`);
      previous = event.revision;
      if (event.user?.username === "web-watched") return event;
    }
    throw new Error("the watch ended before the user appeared");
  })();
  const { user } = await users.createUser({ username: "web-watched", email: "web-watched@example.com" });
  const timeout = setTimeout(() => controller.abort(), 15_000);
  try {
    const event = await seen;
    assert.equal(event.type, UserEvent_EventType.CREATED);
    assert.equal(event.user.id, user.id);
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
});

test("grpc-web: an invalid create is INVALID_ARGUMENT with a BadRequest field violation", async () => {
  const { users } = await signedIn(server);
  const error = await users.createUser({ username: "web-invalid", email: "not-an-email" }).then(
    () => assert.fail("the create succeeded"),
    (e) => e,
  );
  assert.ok(error instanceof ConnectError, String(error));
  assert.equal(error.code, Code.InvalidArgument);
  const violations = error.findDetails(BadRequestSchema).flatMap((b) => b.fieldViolations);
  const email = violations.find((v) => v.field === "email");
  assert.ok(email, `a violation on email, got ${JSON.stringify(violations.map((v) => v.field))}`);
  assert.ok(email.description.length > 0);
});

test("grpc-web: a call without a token, or with a bad one, is UNAUTHENTICATED", async () => {
  for (const token of [undefined, "not-a-token"]) {
    const { users } = clients(server.webUrl, token);
    const error = await users.searchUsers({ pageSize: 1 }).then(
      () => assert.fail(`the call succeeded with token ${token}`),
      (e) => e,
    );
    assert.ok(error instanceof ConnectError, String(error));
    assert.equal(error.code, Code.Unauthenticated, `token ${token}: ${error.message}`);
  }
});
