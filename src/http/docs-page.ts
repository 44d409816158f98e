/**
 * The /docs page: the routes of openapi.json rendered as plain HTML on
 * the server. No script, no CDN: it works offline and under the
 * strictest Content-Security-Policy.
 */
import type { OpenApiDocument } from './openapi.js';

type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The whole page for `doc`. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) =>
      renderOperation(m, path, item[m] as Json),
    ),
  );
  const schemas = Object.entries(doc.components.schemas).map(
    ([id, schema]) =>
      `<section id="schema-${escapeHtml(id)}"><h3>${escapeHtml(id)}</h3>` +
      `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></section>`,
  );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} API</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto;
  max-width: 60rem; padding: 0 1rem; color: #222; }
.op { border: 1px solid #ddd; border-radius: 6px; margin: 1rem 0;
  padding: 0.5rem 1rem; }
.method { display: inline-block; min-width: 4.5rem; font-weight: bold;
  text-transform: uppercase; }
code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; }
</style>
</head>
<body>
<h1>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</h1>
<p>${escapeHtml(doc.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<h2>Routes</h2>
${operations.join('\n')}
<h2>Schemas</h2>
${schemas.join('\n')}
</body>
</html>
`;
}

function renderOperation(method: string, path: string, op: Json): string {
  const parts = [
    `<div class="op"><h3><span class="method">${method}</span>` +
      `<code>${escapeHtml(path)}</code></h3>`,
    `<p>${escapeHtml(text(op.summary))}</p>`,
  ];
  if (typeof op.description === 'string') {
    parts.push(`<p>${escapeHtml(op.description)}</p>`);
  }

  const params = Array.isArray(op.parameters) ? (op.parameters as Json[]) : [];
  if (params.length > 0) {
    const rows = params.map(
      (p) =>
        `<tr><td><code>${escapeHtml(text(p.name))}</code></td>` +
        `<td>${escapeHtml(text(p.in))}</td>` +
        `<td>${p.required === true ? 'required' : 'optional'}</td>` +
        `<td>${escapeHtml(text(p.description))}</td></tr>`,
    );
    parts.push(`<table>${rows.join('')}</table>`);
  }

  const body = op.requestBody as Json | undefined;
  if (body) parts.push(`<p>Body: ${schemaLinks(body.content)}</p>`);

  const responses = Object.entries(
    (op.responses ?? {}) as Record<string, Json>,
  );
  const items = responses.map(
    ([status, r]) =>
      `<li><b>${escapeHtml(status)}</b> ` +
      `${escapeHtml(text(r.description))} ${schemaLinks(r.content)}</li>`,
  );
  parts.push(`<ul>${items.join('')}</ul></div>`);
  return parts.join('\n');
}

/** `value` if it is a string, else ''. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Links to the schemas of a content map, or their inline JSON. */
function schemaLinks(content: unknown): string {
  if (!content || typeof content !== 'object') return '';
  return Object.entries(content as Record<string, Json>)
    .map(([type, media]) => {
      const schema = (media.schema ?? {}) as Json;
      const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
      const id = ref?.split('/').pop();
      const shown = id
        ? `<a href="#schema-${escapeHtml(id)}">${escapeHtml(id)}</a>`
        : `<code>${escapeHtml(JSON.stringify(schema))}</code>`;
      return `<code>${escapeHtml(type)}</code> ${shown}`;
    })
    .join(', ');
}
