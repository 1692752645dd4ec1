// Who is signed in: the tokens from AuthService.Login, kept in this tab's sessionStorage (so a reload keeps the
// sign-in and closing the tab ends it), refreshed with AuthService.Refresh shortly before the access token expires.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { AuthService, type TokenPair } from "./gen/auth/v1/auth_pb.js";
import { UserService } from "./gen/user/v1/user_pb.js";

interface Tokens {
  username: string;
  roles: string[];
  access: string;
  accessExpiresMs: number;
  refresh: string;
  refreshExpiresMs: number;
}

/** "none": the server runs with --auth none and takes every caller as an admin; "tokens": sign-in needed. */
export type AuthMode = "none" | "tokens";

const storageKey = "tessera.session";
const refreshMarginMs = 30_000;

// Calls that need no token (sign-in, refresh, the probe) go through a transport without the auth interceptor.
const bare = createGrpcWebTransport({ baseUrl: location.origin, useBinaryFormat: true });
const auth = createClient(AuthService, bare);

let tokens: Tokens | null = load();
// Set when the server refused the sign-in (not when the reader signed out), for the sign-in page to say so.
let ended = false;
let refreshing: Promise<string | undefined> | null = null;
const listeners = new Set<() => void>();

function load(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

function store(next: Tokens | null): void {
  tokens = next;
  if (next) sessionStorage.setItem(storageKey, JSON.stringify(next));
  else sessionStorage.removeItem(storageKey);
  for (const listener of listeners) listener();
}

function fromPair(username: string, pair: TokenPair | undefined): Tokens {
  if (!pair) throw new Error("the server answered without tokens");
  return {
    username,
    roles: [...pair.roles],
    access: pair.accessToken,
    accessExpiresMs: pair.accessTokenExpiresAt ? timestampMs(pair.accessTokenExpiresAt) : Date.now() + 60_000,
    refresh: pair.refreshToken,
    refreshExpiresMs: pair.refreshTokenExpiresAt ? timestampMs(pair.refreshTokenExpiresAt) : 0,
  };
}

/** Asks the server, without a token, whether it wants one: a server started with --auth none answers anyone. */
export async function probeAuthMode(): Promise<AuthMode> {
  try {
    await createClient(UserService, bare).searchUsers({ pageSize: 1 });
    return "none";
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.Unauthenticated) return "tokens";
    throw error;
  }
}

export function current(): { username: string; roles: string[] } | null {
  return tokens && { username: tokens.username, roles: tokens.roles };
}

export function onChange(listener: () => void): void {
  listeners.add(listener);
}

export async function signIn(username: string, password: string): Promise<void> {
  const response = await auth.login({ username, password });
  ended = false;
  store(fromPair(username, response.tokens));
}

export async function signOut(): Promise<void> {
  const refresh = tokens?.refresh;
  store(null);
  if (refresh) await auth.logout({ refreshToken: refresh }).catch(() => undefined);
}

/** Forgets the sign-in without telling the server (it already refused the token). */
export function expire(): void {
  ended = true;
  store(null);
}

/** True once after the server ended the sign-in (a refused token or refresh). */
export function takeEnded(): boolean {
  const was = ended;
  ended = false;
  return was;
}

/** The access token to send, refreshed first when it expires within 30 seconds; undefined when signed out. */
export async function accessToken(): Promise<string | undefined> {
  if (!tokens) return undefined;
  if (tokens.accessExpiresMs - Date.now() > refreshMarginMs) return tokens.access;
  refreshing ??= refresh().finally(() => (refreshing = null));
  return refreshing;
}

async function refresh(): Promise<string | undefined> {
  const held = tokens;
  if (!held) return undefined;
  try {
    const response = await auth.refresh({ refreshToken: held.refresh });
    store(fromPair(held.username, response.tokens));
    return tokens?.access;
  } catch (error) {
    // A refresh token that is spent, revoked or expired: sign in again. Anything else (the server is down) keeps
    // the tokens, so the next call tries again.
    if (error instanceof ConnectError && error.code === Code.Unauthenticated) expire();
    throw error;
  }
}
