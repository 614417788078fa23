import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEVICE_KEY_FILE,
  loadDeviceKey,
  openVault,
  SEALED_CREDENTIAL,
  vaultWith,
} from './credential-vault.ts';

const CREDENTIAL = '01a2431e-3c02-724d.s3cr3t-du-poste-Zx81kQ';
const folder = () => mkdtempSync(join(tmpdir(), 'gf-vault-'));

describe('the PC’s key for the sync credential', () => {
  it.runIf(process.platform !== 'win32')(
    'is a file of the data folder only its owner can read or write',
    () => {
      const dir = folder();
      openVault(dir);
      expect(statSync(join(dir, DEVICE_KEY_FILE)).mode & 0o777).toBe(0o600);
    },
  );

  it('opens what it sealed after the folder is opened again, and nothing another folder’s key sealed', () => {
    const dir = folder();
    const sealed = openVault(dir).seal(CREDENTIAL);
    expect(sealed).toMatch(SEALED_CREDENTIAL);
    expect(sealed).not.toContain('s3cr3t');
    expect(openVault(dir).open(sealed)).toBe(CREDENTIAL);
    expect(openVault(folder()).open(sealed)).toBeNull();
    // Two seals of the same credential differ: the stored value says nothing about which credential it is.
    expect(openVault(dir).seal(CREDENTIAL)).not.toBe(sealed);
  });

  it('refuses a sealed value altered by one character', () => {
    const vault = vaultWith(loadDeviceKey(folder()));
    const sealed = vault.seal(CREDENTIAL);
    // Not the last character: its low bits may be base64's padding, which decoding ignores.
    const i = sealed.length - 5;
    const other = sealed[i] === 'A' ? 'B' : 'A';
    expect(vault.open(`${sealed.slice(0, i)}${other}${sealed.slice(i + 1)}`)).toBeNull();
  });

  it('keeps an unreadable key file aside, never overwritten, and makes a new key', () => {
    const dir = folder();
    writeFileSync(join(dir, DEVICE_KEY_FILE), 'abîmé par une copie\n');
    const logged: string[] = [];
    const key = loadDeviceKey(dir, (m) => logged.push(m));
    expect(key).toHaveLength(32);
    const aside = readdirSync(dir).find((f) => f.startsWith(`${DEVICE_KEY_FILE}.illisible-`));
    expect(aside && readFileSync(join(dir, aside), 'utf8')).toBe('abîmé par une copie\n');
    expect(logged[0]).toContain('clé du poste illisible');
    expect(loadDeviceKey(dir).equals(key)).toBe(true);
  });
});
