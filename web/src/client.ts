// The gRPC-Web clients the pages use: binary gRPC-Web to the origin that served the console, with the signed-in
// user's access token as `authorization: Bearer`.
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { InventoryService } from "./gen/inventory/v1/inventory_pb.js";
import { MonitoringService } from "./gen/monitoring/v1/monitoring_pb.js";
import { OrderService } from "./gen/order/v1/order_pb.js";
import { UserService } from "./gen/user/v1/user_pb.js";
import { accessToken, expire } from "./session.js";

const bearer: Interceptor = (next) => async (request) => {
  const token = await accessToken();
  if (token) request.header.set("authorization", `Bearer ${token}`);
  try {
    return await next(request);
  } catch (error) {
    // A token the server no longer takes (revoked, the server's key changed): back to the sign-in page.
    if (token && error instanceof ConnectError && error.code === Code.Unauthenticated) expire();
    throw error;
  }
};

const transport = createGrpcWebTransport({ baseUrl: location.origin, useBinaryFormat: true, interceptors: [bearer] });

export const users = createClient(UserService, transport);
export const inventory = createClient(InventoryService, transport);
export const orders = createClient(OrderService, transport);
export const monitoring = createClient(MonitoringService, transport);
