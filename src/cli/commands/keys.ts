/**
 * `siamese-dedup keys`: API keys of the service in DATA_DIR. `create`
 * prints a new key once, on stdout alone so scripts can capture it (what
 * it is goes to stderr); only its hash is kept. `list` shows every key
 * without secrets; `revoke ID` stops a key at once, running servers
 * included. Once a key exists, `serve` requires keys on every /v1 route.
 */
import type { Command } from 'commander';

import { ApiKeyStore, type ApiKey } from '../../access/key-store.js';
import { ROLES, type Role } from '../../access/roles.js';
import { loadConfig } from '../../config/config.js';
import { databasePath, prepareDataDir } from '../../service/data-files.js';
import { openDatabase } from '../../store/open-database.js';
import { cliLogger } from '../context.js';
import { positiveInt } from '../option-parsers.js';

interface CreateFlags {
  role: Role;
  name?: string;
}

/** Registers `keys` and its sub-commands. */
export function keysCommand(program: Command): void {
  const keys = program
    .command('keys')
    .description('create, list and revoke API keys (DATA_DIR)');

  keys
    .command('create')
    .description('make a key and print it once')
    .requiredOption('--role <role>', `what it may do: ${ROLES.join(', ')}`)
    .option('--name <name>', 'who holds it; reviewers are recorded under it')
    .action((flags: CreateFlags) =>
      withKeys((store) => {
        const { key, secret } = store.create(flags);
        process.stdout.write(`${secret}\n`);
        process.stderr.write(
          `created API key ${key.id} (${describe(key)}); it is shown ` +
            'only this once\n',
        );
        // Allowed on purpose, so one person's key can be rotated; but two
        // people under one name would count as one reviewer.
        const namesakes = store
          .list()
          .filter(
            (k) => k.id !== key.id && k.name === key.name && !k.revokedAt,
          );
        if (key.name !== null && namesakes.length > 0) {
          const ids = namesakes.map((k) => k.id).join(', ');
          process.stderr.write(
            `warning: key ${ids} is also named ${key.name}; answers ` +
              'under both count as one reviewer (right when replacing ' +
              "one person's key: revoke the old one when done)\n",
          );
        }
      }),
    );

  keys
    .command('list')
    .description('list the keys, revoked ones too (no secrets)')
    .action(() =>
      withKeys((store) => {
        const rows = store
          .list()
          .map((key) => [
            String(key.id),
            key.prefix,
            key.role,
            key.name ?? '-',
            key.createdAt,
            key.revokedAt ?? '-',
          ]);
        const header = ['id', 'prefix', 'role', 'name', 'created', 'revoked'];
        process.stdout.write(table([header, ...rows]));
      }),
    );

  keys
    .command('revoke')
    .description('stop a key at once')
    .argument('<id>', 'the key id (see keys list)', positiveInt('<id>'))
    .action((id: number) =>
      withKeys((store) => {
        const before = store.get(id);
        const key = store.revoke(id);
        const when = before?.revokedAt ? 'was already revoked' : 'revoked';
        process.stderr.write(
          `API key ${key.id} (${describe(key)}) ${when} at ` +
            `${key.revokedAt ?? '?'}\n`,
        );
      }),
    );
}

/** Runs `work` over the key store of DATA_DIR, closing it after. */
function withKeys(work: (store: ApiKeyStore) => void): void {
  const config = loadConfig();
  prepareDataDir(config.dataDir);
  const db = openDatabase(databasePath(config.dataDir), {
    logger: cliLogger(),
  });
  try {
    work(new ApiKeyStore(db));
  } finally {
    db.close();
  }
}

function describe(key: ApiKey): string {
  const name = key.name === null ? 'no name' : `name ${key.name}`;
  return `role ${key.role}, ${name}, prefix ${key.prefix}`;
}

/** Rows as left-aligned columns two spaces apart. */
function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) =>
    Math.max(...rows.map((row) => row[i]?.length ?? 0)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths?.[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
