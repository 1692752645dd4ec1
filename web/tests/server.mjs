// Starts a real Tessera server for a test file: the Release build (or TESSERA_SERVER_DLL), free loopback ports for
// gRPC (--urls) and the web address (--web-urls), a temporary data directory, and a known admin password.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const serverDll = process.env.TESSERA_SERVER_DLL ?? join(repoRoot, "src/Tessera.Server/bin/Release/net10.0/Tessera.Server.dll");

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolveAccepts) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolveAccepts(true);
    });
    socket.once("error", () => resolveAccepts(false));
  });
}

/**
 * Starts the server and waits until its web address accepts connections (30 s at most).
 * Returns { webUrl, password, log(), stop() }; stop() ends the process, deletes its data and keeps its output in
 * $TESSERA_TEST_ARTIFACTS/web-servers/.
 */
export async function startServer({ args = [] } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(args);
    } catch (error) {
      // Another process may take a port between our finding it free and the server binding it: try other ports.
      if (attempt < 3 && /address already in use/i.test(String(error))) continue;
      throw error;
    }
  }
}

async function startOnce(args) {
  const grpcPort = await freePort();
  let webPort = await freePort();
  while (webPort === grpcPort) webPort = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "tessera-web-test-"));
  const password = `console-${randomUUID()}`;
  const child = spawn(
    "dotnet",
    [serverDll, "--urls", `http://127.0.0.1:${grpcPort}`, "--web-urls", `http://127.0.0.1:${webPort}`, "--data-dir", dataDir, "--rate-limit", "0", ...args],
    { cwd: join(repoRoot, "src/Tessera.Server"), env: { ...process.env, TESSERA_ADMIN_PASSWORD: password }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolveExit) => child.once("exit", (code, signal) => resolveExit(code ?? signal)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
    // The server's output is kept beside the screenshots, for a failure to be read afterwards.
    const logs = join(process.env.TESSERA_TEST_ARTIFACTS ?? join(repoRoot, "artifacts/test-results"), "web-servers");
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, `server-${webPort}.log`), output);
  };

  const deadline = Date.now() + 30_000;
  let exitCode;
  exited.then((code) => (exitCode = code));
  while (!(await accepts(webPort))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      await stop();
      const why = exitCode !== undefined ? `exited with ${exitCode}` : "did not listen within 30 s";
      throw new Error(`the server ${why} (${serverDll}):\n${output.split("\n").slice(-15).join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { webUrl: `http://127.0.0.1:${webPort}`, password, log: () => output, stop };
}
