import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CreateOrganisationRequest, OrganisationView, UpdateOrganisationRequest } from '@aitrainer/contracts';
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

  /** The organisation's admin (or a platform admin) renames it or sets its time zone. */
  update(id: number, request: UpdateOrganisationRequest): Observable<OrganisationView> {
    return this.http.patch<OrganisationView>(`${API_V1}/organisations/${id}`, request);
  }
}
