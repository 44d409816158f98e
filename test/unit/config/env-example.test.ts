// .env.example is what operators copy: it must name every setting the
// service reads, and the values it spells out must be the defaults.
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadConfig, SETTING_NAMES } from '../../../src/config/config.js';
import { projectRoot } from '../../../src/config/paths.js';

/** NAME -> value of each `NAME=value` line, commented out or not. */
function exampleSettings(): Map<string, { value: string; active: boolean }> {
  const text = fs.readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
  const settings = new Map<string, { value: string; active: boolean }>();
  for (const line of text.split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[2]) {
      settings.set(match[2], { value: match[3] ?? '', active: !match[1] });
    }
  }
  return settings;
}

describe('.env.example', () => {
  it('names every setting and nothing else', () => {
    const named = [...exampleSettings().keys()].sort();
    expect(named).toEqual([...SETTING_NAMES].sort());
  });

  it('spells out the defaults', () => {
    const defaults = loadConfig({}) as unknown as Record<string, unknown>;
    for (const [name, { value, active }] of exampleSettings()) {
      if (!active) continue;
      const expected = defaults[name];
      const shown =
        typeof expected === 'boolean' || typeof expected === 'number'
          ? String(expected)
          : (expected ?? '');
      expect(value, name).toBe(shown);
    }
  });
});
