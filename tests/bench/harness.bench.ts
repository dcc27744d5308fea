import { performance } from 'node:perf_hooks';
import { openDatabase } from '@affection/db';
import { startLivekit, startRedis } from '@affection/test-support';

/** How long each real service takes to start here: what every integration test pays. */
export default async function harnessBench(): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const redis = await startRedis();
  const redisMs = performance.now() - t0;
  await redis.stop();
  const t1 = performance.now();
  const pglite = await openDatabase({ kind: 'pglite' });
  const pgliteMs = performance.now() - t1;
  await pglite.close();
  const t2 = performance.now();
  const livekit = await startLivekit();
  const livekitMs = performance.now() - t2;
  await livekit.stop();
  const figures = { redisMs: Math.round(redisMs), pgliteMs: Math.round(pgliteMs), livekitMs: Math.round(livekitMs) };
  console.log(`redis-server ready in ${figures.redisMs} ms`);
  console.log(`PGlite ready in ${figures.pgliteMs} ms`);
  console.log(`livekit-server ready in ${figures.livekitMs} ms`);
  return figures;
}
