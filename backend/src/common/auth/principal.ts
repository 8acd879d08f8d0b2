import type { Role } from '@aitrainer/contracts';

/** Who is calling: taken from a verified access token whose session is still live. */
export interface Principal {
  userId: number;
  role: Role;
  organisationId: number | null;
  sessionId: string;
}

export interface RequestContext {
  principal: Principal;
  ip: string | null;
}
