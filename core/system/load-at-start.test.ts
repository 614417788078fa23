import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * In a fresh Node process, as the core host starts: which files of the given packages are loaded once the core has
 * opened and answered the sign-in screen, then once a document is printed. Every load, ES module or CommonJS, goes
 * through the resolve hook.
 */
function packagesLoaded(): { atStart: string[]; afterPrint: string[] } {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({
      resolve(specifier, context, next) {
        const r = next(specifier, context);
        const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url);
        if (m) seen.add(m[1]);
        if (/node_modules\\/date-fns\\/index\\.c?js$/.test(r.url)) seen.add('date-fns (index)');
        return r;
      },
    });
    const { openTestCore } = await import('./core/test/fixtures.ts');
    const core = await openTestCore({ path: ':memory:' });
    const status = await core.invoke('auth.status', {});
    if (!status.ok) throw new Error('auth.status');
    const atStart = [...seen];
    const { newDocument, toBuffer } = await import('./core/pdf/page.ts');
    const doc = newDocument({ title: 't', author: 'a', subject: 's', creationDate: new Date(0) });
    doc.addPage();
    doc.font('R').text('Reçu');
    await toBuffer(doc);
    console.log(JSON.stringify({ atStart, afterPrint: [...seen] }));
    await core.close();
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as {
    atStart: string[];
    afterPrint: string[];
  };
}

describe('what the core loads at start', () => {
  it('leaves the PDF libraries and date-fns’s index for later: the sign-in screen answers without them', () => {
    const { atStart, afterPrint } = packagesLoaded();
    expect(atStart).toContain('kysely');
    expect(atStart).not.toContain('pdfkit');
    expect(atStart).not.toContain('fontkit');
    expect(atStart).toContain('date-fns');
    expect(atStart).not.toContain('date-fns (index)');
    // The first document loads them: printing still works.
    expect(afterPrint).toContain('pdfkit');
    expect(afterPrint).toContain('fontkit');
  }, 60_000);
});
