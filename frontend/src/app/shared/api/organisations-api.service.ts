import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CreateOrganisationRequest, OrganisationView } from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

/** /api/v1/organisations — platform admins see all; everyone else sees their own. */
@Injectable({ providedIn: 'root' })
export class OrganisationsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<OrganisationView[]> {
    return this.http.get<OrganisationView[]>(`${API_V1}/organisations`);
  }

  create(request: CreateOrganisationRequest): Observable<OrganisationView> {
    return this.http.post<OrganisationView>(`${API_V1}/organisations`, request);
  }
}
