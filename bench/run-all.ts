/**
 * Every benchmark in turn but the several-nodes one (cluster.ts: PostgreSQL, Redis, HAProxy)
 * and bundle-size.ts (builds the web app itself): those run on their own. Needs the built
 * server and web app (`pnpm bench` builds them).
 */
import { benchAbuse } from './abuse';
import { benchChat } from './chat-load';
import { benchJoinLatency } from './join-latency';
import { benchMeshFormation } from './mesh-formation';
import { benchOpusDtx } from './opus-dtx';
import { benchNoiseSuppression } from './noise-suppression';
import { benchRecovery } from './recovery';

console.log('# Join latency');
await benchJoinLatency();
console.log('\n# Mesh formation');
await benchMeshFormation();
console.log('\n# Recovery');
await benchRecovery();
console.log('\n# Chat');
await benchChat();
console.log('\n# Abuse');
await benchAbuse();
console.log('\n# Opus DTX');
await benchOpusDtx();
console.log('\n# Noise suppression');
await benchNoiseSuppression();
