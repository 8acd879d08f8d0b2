import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskStorage } from './local-disk-storage';

async function read(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('LocalDiskStorage', () => {
  const root = mkdtempSync(join(tmpdir(), 'storage-'));
  const storage = new LocalDiskStorage(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores, reads back and removes a file under a generated key', async () => {
    const key = await storage.put(Buffer.from('第一课讲义'), { extension: 'PDF' });
    expect(key).toMatch(/^[0-9a-f]{2}\/[0-9a-f-]{36}\.pdf$/);
    expect(await read(await storage.open(key))).toBe('第一课讲义');
    await storage.remove(key);
    expect(await storage.exists(key)).toBe(false);
  });

  it('drops an unsafe extension and refuses keys it did not generate', async () => {
    const key = await storage.put(Buffer.from('x'), { extension: '../../etc' });
    expect(key).not.toContain('..');
    await expect(storage.open('../../etc/passwd')).rejects.toThrow('not a storage key');
  });
});
