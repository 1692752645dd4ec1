import { defineConfig } from "vite";

// Node's process, without pulling in @types/node for one line.
declare const process: { env: Record<string, string | undefined> };

// The console is served by Tessera.Server from its wwwroot at `/`, and calls the same origin over gRPC-Web.
// `npm run dev` serves it from Vite instead and forwards the gRPC-Web paths to a running server's web address
// (TESSERA_WEB_URL, default http://127.0.0.1:8080).
const server = process.env.TESSERA_WEB_URL ?? "http://127.0.0.1:8080";
const services = ["auth", "user", "inventory", "order", "monitoring"];

export default defineConfig({
  base: "./",
  build: {
    outDir: "../src/Tessera.Server/wwwroot",
    emptyOutDir: true,
    target: "es2022",
    // Deterministic output: no source maps with absolute paths, file names from content hashes only.
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: Object.fromEntries(services.map((s) => [`^/${s}\\.v1\\.`, { target: server, changeOrigin: true }])),
  },
});
