import { HttpClient, type HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { BureauApiKeyScope, BureauApiKeyView, CertificateKindName, CertificateStatusName, SkillLevel, VerificationAnswer, VerifyRequest } from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

/** GET/PUT /certificates/issuer-settings (the backend's IssuerSettings). */
export interface IssuerSettingsView {
  organisationId: number;
  kind: 'Y' | 'S';
  evaluationBodyCode: string;
  provinceCode: string;
  siteSerial: string;
  enterprisePrefix: string;
  evaluationBodyName: string;
  querySites: string[];
  verificationBaseUrl: string;
}
export type IssuerSettingsInput = Omit<IssuerSettingsView, 'organisationId' | 'verificationBaseUrl' | 'evaluationBodyName' | 'querySites'> & { evaluationBodyName?: string; querySites?: string[]; verificationBaseUrl?: string | null };

/** GET /certificates/:id — the issuer's view of one certificate (masked ID number only). */
export interface CertificateView {
  id: number;
  kind: CertificateKindName;
  generation: number;
  issuerName: string;
  number: string;
  holderName: string;
  idDocumentType: string;
  idNumberMasked: string;
  occupationName: string;
  occupationCode: string;
  trade: string;
  level: SkillLevel;
  evaluationBody: string;
  issueDate: string;
  twinId: number | null;
  twinNumber: string;
  twinKind: CertificateKindName;
  replacesId: number | null;
  replacedById: number | null;
  status: CertificateStatusName;
  statusReason: string | null;
  statusChangedAt: string | null;
  kid: string;
}
export interface StatusChangeView {
  certificate: CertificateView;
  twin: { id: number; kind: CertificateKindName; number: string; status: CertificateStatusName } | null;
}
export interface IssueSessionView {
  passed: number;
  issued: number;
  existing: number;
  failed: { resultId: number; error: string }[];
}
export interface SessionProgressView {
  passed: number;
  certified: number;
}

/** The answer for a pasted or uploaded signed credential. */
export interface CredentialVerificationView {
  form: 'vc-jwt' | 'data-integrity';
  status: 'valid' | 'revoked' | 'suspended' | 'invalid';
  statusChangedAt: string | null;
  reasons: string[];
  fields: { kind: 'skill_level' | 'enterprise'; number: string; holderName: string; idNumberMasked: string; level: number; evaluationBody: string; issueDate: string } | null;
}

/** /api/v1 certificates, verification and bureau access (issue 7). */
@Injectable({ providedIn: 'root' })
export class CertificatesApi {
  private readonly http = inject(HttpClient);

  verify(request: VerifyRequest): Observable<VerificationAnswer> {
    return this.http.post<VerificationAnswer>(`${API_V1}/verify`, request);
  }

  settings(): Observable<IssuerSettingsView | null> {
    return this.http.get<IssuerSettingsView | null>(`${API_V1}/certificates/issuer-settings`);
  }
  saveSettings(input: IssuerSettingsInput): Observable<IssuerSettingsView> {
    return this.http.put<IssuerSettingsView>(`${API_V1}/certificates/issuer-settings`, input);
  }
  rotateKey(): Observable<{ kid: string }> {
    return this.http.post<{ kid: string }>(`${API_V1}/certificates/signing-keys/rotate`, {});
  }
  issueSession(sessionId: number): Observable<IssueSessionView> {
    return this.http.post<IssueSessionView>(`${API_V1}/certificates/sessions/${sessionId}/issue`, {});
  }
  progress(sessionId: number): Observable<SessionProgressView> {
    return this.http.get<SessionProgressView>(`${API_V1}/certificates/sessions/${sessionId}/progress`);
  }
  certificate(id: number): Observable<CertificateView> {
    return this.http.get<CertificateView>(`${API_V1}/certificates/${id}`);
  }
  setStatus(id: number, status: CertificateStatusName, reason: string): Observable<StatusChangeView> {
    return this.http.post<StatusChangeView>(`${API_V1}/certificates/${id}/status`, { status, reason });
  }
  reissue(id: number, reason: string): Observable<{ skill: CertificateView; enterprise: CertificateView }> {
    return this.http.post<{ skill: CertificateView; enterprise: CertificateView }>(`${API_V1}/certificates/${id}/reissue`, { reason });
  }
  /** The signed-in holder's certificates. */
  mine(): Observable<CertificateView[]> {
    return this.http.get<CertificateView[]>(`${API_V1}/my/certificates`);
  }

  /** The issuer's certificates with this number (exact). */
  /** The issuer's certificates, newest first (at most 200), optionally by number or holder name. */
  issued(filter: { number?: string; holderName?: string }): Observable<CertificateView[]> {
    return this.http.get<CertificateView[]>(`${API_V1}/certificates`, { params: { ...filter } });
  }

  findByNumber(number: string): Observable<CertificateView[]> {
    return this.http.get<CertificateView[]>(`${API_V1}/certificates`, { params: { number } });
  }

  /** The holder's certificate as OB 3.0 JSON with an embedded proof ("save to wallet"). */
  walletJson(id: number): Observable<Blob> {
    return this.http.get(`${API_V1}/my/certificates/${id}/credential.json`, { responseType: 'blob' });
  }

  /** Verifies a pasted or uploaded signed credential (VC-JWT text or the wallet JSON). */
  verifyCredential(credential: string): Observable<CredentialVerificationView> {
    return this.http.post<CredentialVerificationView>(`${API_V1}/verify/credential`, { credential });
  }

  pdf(id: number): Observable<Blob> {
    return this.http.get(`${API_V1}/certificates/${id}/pdf`, { responseType: 'blob' });
  }

  apiKeys(): Observable<BureauApiKeyView[]> {
    return this.http.get<BureauApiKeyView[]>(`${API_V1}/bureau/api-keys`);
  }
  createApiKey(input: { name: string; scopes: BureauApiKeyScope[]; dailyQuota: number }): Observable<BureauApiKeyView & { key: string }> {
    return this.http.post<BureauApiKeyView & { key: string }>(`${API_V1}/bureau/api-keys`, input);
  }
  revokeApiKey(id: number): Observable<void> {
    return this.http.delete<void>(`${API_V1}/bureau/api-keys/${id}`);
  }
  /**
   * Bulk verification of a CSV (header `number,name`): with an API key when one is given, otherwise with the verifier's
   * own sign-in; upload and download progress as events.
   */
  bulkVerify(file: Blob, apiKey: string, lang: 'zh' | 'en' | 'codes' = 'codes'): Observable<HttpEvent<Blob>> {
    return this.http.post(`${apiKey ? `${API_V1}/bureau/verify/bulk` : `${API_V1}/bureau/verify/bulk/mine`}?lang=${lang}`, file, {
      headers: apiKey ? { 'Content-Type': 'text/csv', 'X-API-Key': apiKey } : { 'Content-Type': 'text/csv' },
      responseType: 'blob',
      reportProgress: true,
      observe: 'events',
    });
  }
  /** The roster in the reader's language (`codes`: stable column names and codes, for machines). */
  roster(range: { from?: string; to?: string }, lang: 'zh' | 'en' | 'codes' = 'zh'): Observable<Blob> {
    const params: Record<string, string> = { lang };
    if (range.from) params['from'] = range.from;
    if (range.to) params['to'] = range.to;
    return this.http.get(`${API_V1}/certificate-roster.xlsx`, { params, responseType: 'blob' });
  }
}
