import { describe, expect, it } from 'vitest';

import { chooseHost, isLoopback } from '../../../src/access/listen-host.js';

describe('chooseHost', () => {
  it('listens on 127.0.0.1 without keys, whatever HOST says', () => {
    const choice = chooseHost({
      requested: '0.0.0.0',
      keysExist: false,
      allowOpenAccess: false,
    });

    expect(choice.host).toBe('127.0.0.1');
    expect(choice.warning).toMatch(/127\.0\.0\.1 only, not 0\.0\.0\.0/);
    expect(choice.warning).toContain('ALLOW_OPEN_ACCESS=true');
  });

  it('warns even on loopback while no key exists', () => {
    for (const requested of [undefined, '::1', 'localhost']) {
      const choice = chooseHost({
        requested,
        keysExist: false,
        allowOpenAccess: false,
      });
      expect(choice.host).toBe(requested ?? '127.0.0.1');
      expect(choice.warning).toMatch(/no API key exists/);
    }
  });

  it('listens where asked with ALLOW_OPEN_ACCESS, warning that all is open', () => {
    const choice = chooseHost({
      requested: '0.0.0.0',
      keysExist: false,
      allowOpenAccess: true,
    });

    expect(choice.host).toBe('0.0.0.0');
    expect(choice.warning).toMatch(/anyone who can reach 0\.0\.0\.0/);
  });

  it('listens where asked with keys, on every interface by default', () => {
    const off = { keysExist: true, allowOpenAccess: false };

    expect(chooseHost({ ...off, requested: '10.1.2.3' })).toEqual({
      host: '10.1.2.3',
    });
    expect(chooseHost({ ...off, requested: undefined })).toEqual({
      host: '0.0.0.0',
    });
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['128.0.0.1', false],
    [undefined, false],
  ])('%s is loopback: %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
