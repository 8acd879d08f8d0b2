import type { OrganisationView, UserView } from '@aitrainer/contracts';

/** The user's own organisation out of the list the API returned (which, for them, is just theirs). */
export function ownOrganisation(
  organisations: readonly OrganisationView[] | undefined,
  user: UserView | null,
): OrganisationView | undefined {
  if (!organisations) return undefined;
  const id = user?.organisation?.id;
  return organisations.find((organisation) => organisation.id === id) ?? (id === undefined ? undefined : organisations[0]);
}
