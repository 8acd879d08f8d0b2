import { createCipheriv, createDecipheriv, createPrivateKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { generateSigningKey, publicJwk, type CredentialSigner, type Ed25519PublicJwk, type Jwks } from '@aitrainer/certificates';

/**
 * The issuers' Ed25519 signing keys.
 *
 * - Private keys never sit in a database row: each is a file `<keysDir>/<kid>.key` holding the PKCS#8 key encrypted
 *   with AES-256-GCM under a key derived (HKDF) from DATA_ENCRYPTION_KEY, the kid bound as associated data, so a file
 *   renamed to another kid does not decrypt. Several processes that sign need the directory on a shared volume.
 * - The table `certificate_signing_keys` holds each key's kid, public JWK and status. `rotate` retires the active key
 *   and activates a new one in one transaction; retired keys stay in the JWKS so what they signed keeps verifying.
 * - Nothing here returns a private key to a caller outside the backend: `signer()` hands out a KeyObject for signing.
 */
export interface SigningKeyRow {
  kid: string;
  issuerId: number;
  publicJwk: Ed25519PublicJwk;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

const FORMAT = 'aitrainer-signing-key:v1';

export class SigningKeyStore {
  private readonly fileKey: Buffer;
  private readonly cache = new Map<string, KeyObject>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly keysDir: string,
    dataEncryptionKey: Buffer,
  ) {
    this.fileKey = Buffer.from(hkdfSync('sha256', dataEncryptionKey, Buffer.alloc(0), 'aitrainer:signing-keys:v1', 32));
  }

  /** Creates a new active key for the issuer; the previous active key (if any) is retired, not deleted. */
  async rotate(issuerId: number, now: Date = new Date()): Promise<SigningKeyRow> {
    const key = generateSigningKey();
    this.writeKeyFile(key.kid, key.privateKey); // first the file: a row never points at a missing key
    const jwk = publicJwk(key.publicKey, key.kid);
    const at = utc(now);
    await this.dataSource.transaction(async (m) => {
      await m.query("UPDATE certificate_signing_keys SET status = 'retired', retired_at = ? WHERE issuer_id = ? AND status = 'active'", [at, issuerId]);
      await m.query("INSERT INTO certificate_signing_keys (issuer_id, kid, public_jwk, status, created_at) VALUES (?, ?, ?, 'active', ?)", [issuerId, key.kid, JSON.stringify(jwk), at]);
    });
    this.cache.set(key.kid, key.privateKey);
    return { kid: key.kid, issuerId, publicJwk: jwk, status: 'active', createdAt: at, retiredAt: null };
  }

  /** The issuer's active key, ready to sign; SigningKeyError when it has none or its file is missing or altered. */
  async signer(issuerId: number): Promise<CredentialSigner> {
    const rows = (await this.dataSource.query("SELECT kid, public_jwk FROM certificate_signing_keys WHERE issuer_id = ? AND status = 'active'", [issuerId])) as { kid: string; public_jwk: string }[];
    if (rows.length !== 1) throw new SigningKeyError(`issuer ${issuerId} has ${rows.length === 0 ? 'no' : 'more than one'} active signing key`);
    const { kid } = rows[0];
    const privateKey = this.cache.get(kid) ?? this.readKeyFile(kid);
    // The file must hold the private half of the published key.
    if (publicJwk(privateKey, kid).x !== (JSON.parse(rows[0].public_jwk) as Ed25519PublicJwk).x) throw new SigningKeyError(`key file of ${kid} does not match its public key`);
    this.cache.set(kid, privateKey);
    return { kid, privateKey };
  }

  /** Every key of every issuer (active and retired), oldest first. */
  async list(issuerId?: number): Promise<SigningKeyRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT kid, issuer_id, public_jwk, status, created_at, retired_at FROM certificate_signing_keys${issuerId === undefined ? '' : ' WHERE issuer_id = ?'} ORDER BY id`,
      issuerId === undefined ? [] : [issuerId],
    )) as { kid: string; issuer_id: number; public_jwk: string; status: 'active' | 'retired'; created_at: string | Date; retired_at: string | Date | null }[];
    return rows.map((r) => ({
      kid: r.kid,
      issuerId: Number(r.issuer_id),
      publicJwk: JSON.parse(r.public_jwk) as Ed25519PublicJwk,
      status: r.status,
      createdAt: String(r.created_at instanceof Date ? utc(r.created_at) : r.created_at),
      retiredAt: r.retired_at === null ? null : String(r.retired_at instanceof Date ? utc(r.retired_at) : r.retired_at),
    }));
  }

  /** The public JWKS to publish: active and retired keys (public halves only). */
  async jwks(): Promise<Jwks> {
    return { keys: (await this.list()).map((row) => row.publicJwk) };
  }

  private writeKeyFile(kid: string, privateKey: KeyObject): void {
    mkdirSync(this.keysDir, { recursive: true, mode: 0o700 });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.fileKey, iv);
    cipher.setAAD(Buffer.from(kid));
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const data = Buffer.concat([cipher.update(der), cipher.final()]);
    const body = JSON.stringify({ format: FORMAT, kid, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') });
    const file = this.keyFile(kid);
    writeFileSync(`${file}.tmp`, body, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  private readKeyFile(kid: string): KeyObject {
    let stored: { format: string; kid: string; iv: string; tag: string; data: string };
    try {
      stored = JSON.parse(readFileSync(this.keyFile(kid), 'utf8'));
    } catch {
      throw new SigningKeyError(`key file of ${kid} is missing or unreadable in the keys directory`);
    }
    if (stored.format !== FORMAT || stored.kid !== kid) throw new SigningKeyError(`key file of ${kid} has another format or kid`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.fileKey, Buffer.from(stored.iv, 'base64'));
      decipher.setAAD(Buffer.from(kid));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
      const der = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]);
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch {
      throw new SigningKeyError(`key file of ${kid} does not decrypt with DATA_ENCRYPTION_KEY`);
    }
  }

  private keyFile(kid: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(kid)) throw new SigningKeyError('malformed kid');
    return join(this.keysDir, `${kid}.key`);
  }
}

function utc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
