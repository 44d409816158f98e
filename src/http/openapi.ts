/**
 * The OpenAPI 3.1 document, generated from the route descriptions and
 * their zod schemas (zod's JSON Schema output is draft 2020-12, the
 * dialect of OpenAPI 3.1). Named schemas go to components.schemas.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { DEFAULT_ACCESS, type Access } from '../access/roles.js';
import { projectRoot } from '../config/paths.js';
import type { ApiRoute, ResponseDoc } from './api-route.js';
import type { ApiSchemas, SchemaName } from './api-schemas.js';
import { PROBLEM_TYPE } from './problem.js';
import type { PathItem, RouterMount } from './router-mount.js';

/** A JSON Schema object. */
type JsonSchema = Record<string, unknown>;

/** The generated document (a plain JSON value). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes?: Record<string, JsonSchema>;
  };
}

/** Options of {@link buildOpenApi}. */
export interface OpenApiOptions {
  /**
   * Document API keys: the security schemes, and on every operation
   * that is not public the roles it needs and its 401 and 403. Default
   * false.
   */
  secured?: boolean;
}

/** How a key may be sent, as OpenAPI security schemes. */
const SECURITY_SCHEMES = {
  bearerKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `siamese-dedup keys create`.',
  },
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
};

const REF = (id: string) => `#/components/schemas/${id}`;

/**
 * `/items/:id` in Express form becomes `/items/{id}`; a trailing slash
 * (a router's `/` under its mount path) is dropped.
 */
export function openApiPath(expressPath: string): string {
  const replaced = expressPath
    .replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    .replace(/\/+$/, '');
  return replaced === '' ? '/' : replaced;
}

/** Builds the document for every mount. */
export function buildOpenApi(
  mounts: readonly RouterMount[],
  schemas: ApiSchemas,
  options: OpenApiOptions = {},
): OpenApiDocument {
  const converter = new SchemaConverter(schemas);
  const paths: Record<string, PathItem> = {};
  const secure = (op: Record<string, unknown>, access: Access) =>
    options.secured ? securedOperation(op, access) : op;

  for (const mount of mounts) {
    const mountAccess = mount.access ?? DEFAULT_ACCESS;
    for (const route of mount.routes ?? []) {
      const key = openApiPath(`${mount.path}${route.path}`);
      const op = operation(route, converter);
      paths[key] = {
        ...paths[key],
        [route.method]: secure(op, route.access ?? mountAccess),
      };
    }
    for (const [key, item] of Object.entries(mount.paths ?? {})) {
      const ops = Object.entries(item).map(
        ([method, op]): [string, Record<string, unknown>] => [
          method,
          secure(op, mountAccess),
        ],
      );
      paths[key] = { ...paths[key], ...Object.fromEntries(ops) };
    }
  }

  const components: OpenApiDocument['components'] = {
    schemas: converter.components(),
  };
  if (options.secured) components.securitySchemes = SECURITY_SCHEMES;

  return {
    openapi: '3.1.0',
    info: {
      title: 'siamese-dedup',
      version: packageVersion(),
      description:
        'Has this been asked before? Energies are Euclidean distances ' +
        'between sentence vectors: 0 for equal texts, small for ' +
        'duplicates. Errors are application/problem+json with a stable ' +
        '`code`. Texts over MAX_TEXT_CHARS are refused with 400 ' +
        'bad_input; bodies over MAX_BODY_BYTES with 413 too_large.',
    },
    paths,
    components,
  };
}

/**
 * `op` with what API keys add: the schemes, the access as `x-access`,
 * and the 401 and 403 answers. Public operations are left as they are.
 */
function securedOperation(
  op: Record<string, unknown>,
  access: Access,
): Record<string, unknown> {
  if (access === 'public') return op;
  const problem = (description: string) => ({
    description,
    content: { [PROBLEM_TYPE]: { schema: { $ref: REF('Problem') } } },
  });
  const needs =
    access === 'any-key'
      ? 'any API key'
      : access === 'admin'
        ? 'an admin key'
        : `a ${access} or admin key`;
  return {
    ...op,
    security: [{ bearerKey: [] }, { headerKey: [] }],
    'x-access': access,
    responses: {
      ...(op.responses as Record<string, unknown>),
      401: problem('No working API key (unauthorized)'),
      403: problem(`The key's role is not enough; needs ${needs} (forbidden)`),
    },
  };
}

function operation(
  route: ApiRoute,
  converter: SchemaConverter,
): Record<string, unknown> {
  const op: Record<string, unknown> = { summary: route.summary };
  if (route.description) op.description = route.description;
  if (route.tag) op.tags = [route.tag];

  const parameters = [
    ...converter.parameters(route.params, 'path'),
    ...converter.parameters(route.query, 'query'),
  ];
  if (parameters.length > 0) op.parameters = parameters;

  if (route.body) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: converter.input(route.body) } },
    };
  }

  op.responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, doc]) => [
      status,
      response(Number(status), doc, converter),
    ]),
  );
  return op;
}

function response(
  status: number,
  doc: ResponseDoc,
  converter: SchemaConverter,
): Record<string, unknown> {
  if (status >= 400) {
    const mediaType = doc.mediaType ?? PROBLEM_TYPE;
    const schema = doc.schema
      ? converter.output(doc.schema)
      : { $ref: REF('Problem') };
    return {
      description: doc.description,
      content: { [mediaType]: { schema } },
    };
  }
  if (!doc.schema) return { description: doc.description };

  const mediaType = doc.mediaType ?? 'application/json';
  return {
    description: doc.description,
    content: { [mediaType]: { schema: converter.output(doc.schema) } },
  };
}

/** Turns zod schemas into JSON Schema, by reference when named. */
class SchemaConverter {
  private readonly schemas: ApiSchemas;

  constructor(schemas: ApiSchemas) {
    this.schemas = schemas;
  }

  /** components.schemas: every named request and response schema. */
  components(): Record<string, JsonSchema> {
    const fromRegistry = (
      registry: z.core.$ZodRegistry<SchemaName>,
      io: 'input' | 'output',
    ) =>
      z.toJSONSchema(registry, {
        io,
        uri: REF,
        unrepresentable: 'any',
      }).schemas as Record<string, JsonSchema>;

    const all = {
      ...fromRegistry(this.schemas.requests, 'input'),
      ...fromRegistry(this.schemas.responses, 'output'),
    };
    return Object.fromEntries(
      Object.entries(all).map(([id, schema]) => [id, clean(schema)]),
    );
  }

  /** A request schema: a $ref when named, else inline. */
  input(schema: z.ZodType): JsonSchema {
    const named = this.schemas.requests.get(schema);
    return named ? { $ref: REF(named.id) } : inline(schema, 'input');
  }

  /** A response schema: a $ref when named, else inline. */
  output(schema: z.ZodType): JsonSchema {
    const named = this.schemas.responses.get(schema);
    return named ? { $ref: REF(named.id) } : inline(schema, 'output');
  }

  /** OpenAPI parameters for the properties of an object schema. */
  parameters(
    schema: z.ZodType | undefined,
    where: 'path' | 'query',
  ): Record<string, unknown>[] {
    if (!(schema instanceof z.ZodObject)) return [];
    return Object.entries(schema.shape as Record<string, z.ZodType>).map(
      ([name, prop]) => {
        const json = inline(prop, 'input');
        const { description, ...rest } = json;
        const param: Record<string, unknown> = {
          name,
          in: where,
          required: where === 'path' || !prop.safeParse(undefined).success,
          schema: rest,
        };
        if (typeof description === 'string') param.description = description;
        return param;
      },
    );
  }
}

function inline(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return clean(z.toJSONSchema(schema, { io, unrepresentable: 'any' }));
}

/** Drops the keys that belong to a standalone JSON Schema document. */
function clean(schema: JsonSchema): JsonSchema {
  const rest = { ...schema };
  delete rest.$schema;
  delete rest.$id;
  return rest;
}

let version: string | undefined;

function packageVersion(): string {
  if (version === undefined) {
    const file = path.join(projectRoot, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
    version = pkg.version ?? '0.0.0';
  }
  return version;
}
