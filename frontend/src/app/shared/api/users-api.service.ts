import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CreateUserRequest, FullIdNumberResponse, Page, Role, UserView } from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

export interface UserQuery {
  organisationId?: number;
  role?: Role;
}

/** /api/v1/users — used by the instructor, school, enterprise and platform pages. */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  list(query: UserQuery = {}): Observable<Page<UserView>> {
    let params = new HttpParams();
    if (query.organisationId !== undefined) params = params.set('organisationId', query.organisationId);
    if (query.role) params = params.set('role', query.role);
    return this.http.get<Page<UserView>>(`${API_V1}/users`, { params });
  }

  get(id: number): Observable<UserView> {
    return this.http.get<UserView>(`${API_V1}/users/${id}`);
  }

  create(request: CreateUserRequest): Observable<UserView> {
    return this.http.post<UserView>(`${API_V1}/users`, request);
  }

  /** Audited on the server: call only when a person asked to see the number. */
  fullIdNumber(id: number): Observable<FullIdNumberResponse> {
    return this.http.get<FullIdNumberResponse>(`${API_V1}/users/${id}/id-number`);
  }
}
