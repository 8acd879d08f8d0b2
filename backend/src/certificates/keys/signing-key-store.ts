import { createCipheriv, createDecipheriv, createPrivateKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { generateSigningKey, publicJwk, type CredentialSigner, type JwsAlgorithm, type Jwks, type PublicJwk } from '@aitrainer/certificates';

/**
 * The issuers' signing keys: per issuer one active key for VC-JWTs (RS256 by default, ES256 with
 * CERTIFICATE_JWT_ALG) and one active Ed25519 key for embedded Data Integrity proofs (eddsa-rdfc-2022). Issuers keyed
 * before OB 3.0 conformance have only the Ed25519 key: it keeps verifying what it signed, and their first JWT key is
 * created on first use.
 *
 * - A VC-JWT's `kid` is the URL of its public JWK, `<PUBLIC_BASE_URL>/issuers/<id>/keys/<thumbprint>`; the JWKS lists
 *   JWT keys under that URL and Ed25519 keys under their bare thumbprint (the kid older credentials carry).
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
  publicJwk: PublicJwk;
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
    private readonly options: { baseUrl: () => string; jwtAlgorithm: Exclude<JwsAlgorithm, 'EdDSA'> } = { baseUrl: () => 'http://localhost:3000', jwtAlgorithm: 'RS256' },
  ) {
    this.fileKey = Buffer.from(hkdfSync('sha256', dataEncryptionKey, Buffer.alloc(0), 'aitrainer:signing-keys:v1', 32));
  }

  /** The URL a JWT key's kid names (it answers the public JWK). */
  keyUrl(issuerId: number, thumbprint: string): string {
    return `${this.options.baseUrl()}/issuers/${issuerId}/keys/${thumbprint}`;
  }

  /**
   * Creates a new active JWT key and a new active Ed25519 key for the issuer; the previous active keys are retired, not
   * deleted. Returns the JWT key.
   */
  async rotate(issuerId: number, now: Date = new Date()): Promise<SigningKeyRow> {
    const jwtKey = generateSigningKey(this.options.jwtAlgorithm);
    const edKey = generateSigningKey('EdDSA');
    for (const k of [jwtKey, edKey]) this.writeKeyFile(k.kid, k.privateKey); // first the files: a row never points at a missing key
    const at = utc(now);
    await this.dataSource.transaction(async (m) => {
      await m.query("UPDATE certificate_signing_keys SET status = 'retired', retired_at = ? WHERE issuer_id = ? AND status = 'active'", [at, issuerId]);
      for (const k of [edKey, jwtKey]) {
        await m.query("INSERT INTO certificate_signing_keys (issuer_id, kid, public_jwk, status, created_at) VALUES (?, ?, ?, 'active', ?)", [issuerId, k.kid, JSON.stringify(publicJwk(k.publicKey, k.kid)), at]);
      }
    });
    for (const k of [jwtKey, edKey]) this.cache.set(k.kid, k.privateKey);
    return { kid: jwtKey.kid, issuerId, publicJwk: publicJwk(jwtKey.publicKey, jwtKey.kid), status: 'active', createdAt: at, retiredAt: null };
  }

  /**
   * The issuer's active VC-JWT key (RS256/ES256), its kid the key's URL. An issuer that has only an Ed25519 key (keyed
   * before OB 3.0 conformance) gets its JWT key now. SigningKeyError when it has no key, or a file is missing or altered.
   */
  async signer(issuerId: number): Promise<CredentialSigner> {
    let row = (await this.activeRows(issuerId)).find((r) => r.jwk.kty !== 'OKP');
    if (!row) {
      if (!(await this.activeRows(issuerId)).length) throw new SigningKeyError(`issuer ${issuerId} has no active signing key`);
      const key = generateSigningKey(this.options.jwtAlgorithm);
      this.writeKeyFile(key.kid, key.privateKey);
      await this.dataSource.query("INSERT INTO certificate_signing_keys (issuer_id, kid, public_jwk, status, created_at) VALUES (?, ?, ?, 'active', ?)", [issuerId, key.kid, JSON.stringify(publicJwk(key.publicKey, key.kid)), utc(new Date())]);
      this.cache.set(key.kid, key.privateKey);
      row = (await this.activeRows(issuerId)).find((r) => r.jwk.kty !== 'OKP');
      if (!row) throw new SigningKeyError(`issuer ${issuerId} has no active JWT key`);
    }
    return { kid: this.keyUrl(issuerId, row.kid), privateKey: this.privateKey(row) };
  }

  /** The issuer's active Ed25519 key, for embedded Data Integrity proofs. */
  async dataIntegritySigner(issuerId: number): Promise<{ kid: string; privateKey: KeyObject }> {
    const row = (await this.activeRows(issuerId)).find((r) => r.jwk.kty === 'OKP');
    if (!row) throw new SigningKeyError(`issuer ${issuerId} has no active Ed25519 key`);
    return { kid: row.kid, privateKey: this.privateKey(row) };
  }

  /** Active rows, newest first (two processes creating a first JWT key at once leave two; the newest signs). */
  private async activeRows(issuerId: number): Promise<{ kid: string; jwk: PublicJwk }[]> {
    const rows = (await this.dataSource.query("SELECT kid, public_jwk FROM certificate_signing_keys WHERE issuer_id = ? AND status = 'active' ORDER BY id DESC", [issuerId])) as { kid: string; public_jwk: string }[];
    return rows.map((r) => ({ kid: r.kid, jwk: JSON.parse(r.public_jwk) as PublicJwk }));
  }

  private privateKey(row: { kid: string; jwk: PublicJwk }): KeyObject {
    const privateKey = this.cache.get(row.kid) ?? this.readKeyFile(row.kid);
    // The file must hold the private half of the published key.
    const published = publicJwk(privateKey, row.kid) as unknown as Record<string, unknown>;
    const stored = row.jwk as unknown as Record<string, unknown>;
    if (!['x', 'y', 'n', 'e'].every((f) => published[f] === stored[f])) throw new SigningKeyError(`key file of ${row.kid} does not match its public key`);
    this.cache.set(row.kid, privateKey);
    return privateKey;
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
      publicJwk: JSON.parse(r.public_jwk) as PublicJwk,
      status: r.status,
      createdAt: String(r.created_at instanceof Date ? utc(r.created_at) : r.created_at),
      retiredAt: r.retired_at === null ? null : String(r.retired_at instanceof Date ? utc(r.retired_at) : r.retired_at),
    }));
  }

  /** The public JWKS to publish: active and retired keys (public halves only); JWT keys under their kid URL. */
  async jwks(): Promise<Jwks> {
    return { keys: (await this.list()).map((row) => this.published(row)) };
  }

  /** A key as published: JWT keys (RSA/EC) named by their URL, Ed25519 keys by their thumbprint. */
  published(row: SigningKeyRow): PublicJwk {
    return row.publicJwk.kty === 'OKP' ? row.publicJwk : { ...row.publicJwk, kid: this.keyUrl(row.issuerId, row.kid) };
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
