import * as z from 'zod/mini';

// Imported first by main.tsx: zod reads its global `jitless` when a schema is
// built, at import, and without it zod probes `new Function('')` once to see
// whether it may compile parsers, which the page's Content-Security-Policy (no
// 'unsafe-eval') reports as a violation. The protocol's frames are parsed
// without code generation already (parseWithoutCodeGeneration); this covers
// every other schema on the page.
z.config({ jitless: true });
