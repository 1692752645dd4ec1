// gRPC-Web clients for the tests, from the same generated code and transport as the console.
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuthService } from "../src/gen/auth/v1/auth_pb.js";
import { InventoryService } from "../src/gen/inventory/v1/inventory_pb.js";
import { OrderService } from "../src/gen/order/v1/order_pb.js";
import { UserService } from "../src/gen/user/v1/user_pb.js";

/** Clients that send `authorization: Bearer <token>` when a token is given. */
export function clients(webUrl, token) {
  const bearer = (next) => (request) => {
    if (token) request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };
  const transport = createGrpcWebTransport({ baseUrl: webUrl, useBinaryFormat: true, interceptors: [bearer] });
  return {
    auth: createClient(AuthService, transport),
    users: createClient(UserService, transport),
    inventory: createClient(InventoryService, transport),
    orders: createClient(OrderService, transport),
  };
}

/** Signs in as admin and returns clients that carry the access token. */
export async function signedIn(server) {
  const { auth } = clients(server.webUrl);
  const { tokens } = await auth.login({ username: "admin", password: server.password });
  return { tokens, ...clients(server.webUrl, tokens.accessToken) };
}
