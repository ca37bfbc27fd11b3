// treemux's per-agent environment: ports, env file, Redis share.
export { PortError, PortRegistry, isPortFree, registryDir, type AllocateRequest, type PortEntry } from './ports.js';
export { parseEnv, quoteEnvValue, renderEnvFile } from './dotenv.js';
export { allocateRedisDb, clearRedisShare, escapeGlob, type RedisShare } from './redis.js';
