import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  // Relative asset URLs: the built files are served by Tauri's own protocol.
  base: "./",
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "127.0.0.1",
    // The error catalogs live in ../assets/locales, shared with the CLI.
    fs: { allow: [repoRoot] },
  },
  // The strength worker is an ES module (WebKitGTK and Safari 15 run those).
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // No inline scripts or styles: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // The passphrase estimator's dictionaries (~2.5 MB) are the strength worker, started only
    // by the first-run screen.
    chunkSizeWarningLimit: 900,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
