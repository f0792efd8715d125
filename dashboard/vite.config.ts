import { defineConfig } from 'vite';

// The gateway serves the built files under /dashboard/ (src/http/dashboard.routes.ts), so every
// asset URL is relative to that base; nothing is fetched from any other host.
export default defineConfig({
  base: '/dashboard/',
  // The root package keeps React 18 for GraphiQL's browser build; libraries hoisted to the root
  // (Apollo Client) would import that copy beside ours, and two Reacts break every hook.
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Fonts, icons and everything else ship inside the bundle or not at all: the app works offline.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
