// docker-compose.yml cannot be started here (no Docker engine), so its
// promises are checked as data: Redis that keeps jobs and never evicts
// them, an API and a worker that run real commands with real settings,
// each with a health check, and volumes that exist.
import fs from 'node:fs';
import path from 'node:path';

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { registerCommands } from '../../../src/cli/commands/index.js';
import { SETTING_NAMES } from '../../../src/config/config.js';
import { projectRoot } from '../../../src/config/paths.js';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = parse(
  fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'),
) as Compose;

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** Sub-command names the CLI really has. */
function cliCommands(): string[] {
  const program = new Command();
  registerCommands(program);
  return program.commands.map((c) => c.name());
}

describe('docker-compose.yml', () => {
  it('runs Redis with persistence and no eviction', () => {
    const redis = service('redis');
    const args = (redis.command ?? []).join(' ');
    expect(args).toMatch(/--appendonly yes/);
    expect(args).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.healthcheck?.test).toContain('ping');
  });

  it.each([
    ['api', 'serve'],
    ['worker', 'worker'],
  ])('runs %s as `%s` over Redis, after Redis is healthy', (name, command) => {
    const svc = service(name);
    expect(svc.build).toBe('.');
    expect(svc.command?.slice(0, 3)).toEqual([
      'node',
      'dist/cli/main.js',
      command,
    ]);
    expect(cliCommands()).toContain(command);
    expect(svc.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(svc.depends_on?.redis?.condition).toBe('service_healthy');
    expect(svc.healthcheck?.test.length).toBeGreaterThan(1);
  });

  it('sets only settings the service reads', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const key of Object.keys(svc.environment ?? {})) {
        expect(SETTING_NAMES, `${name}: ${key}`).toContain(key);
      }
    }
  });

  it('shares one data volume between the API and the worker', () => {
    const api = service('api').volumes ?? [];
    const worker = service('worker').volumes ?? [];
    expect(api).toEqual(worker);
    const dataDir = service('api').environment?.DATA_DIR;
    expect(api).toContain(`app-data:${dataDir}`);
    for (const mount of [...api, ...(service('redis').volumes ?? [])]) {
      const volume = mount.split(':')[0] ?? '';
      expect(Object.keys(compose.volumes)).toContain(volume);
    }
  });

  it('keeps the worker out of the API process', () => {
    expect(service('api').environment?.EMBEDDED_WORKER).toBe('false');
  });
});
