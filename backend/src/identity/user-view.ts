import { DEFAULT_TIME_ZONE, type UserView } from '@aitrainer/contracts';
import type { User } from './entities/user.entity';

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    username: user.username,
    realName: user.realName,
    role: user.role,
    organisation: user.organisation ? { id: user.organisation.id, name: user.organisation.name, kind: user.organisation.kind, timeZone: user.organisation.timeZone ?? DEFAULT_TIME_ZONE } : null,
    phone: user.phone,
    idDocumentType: user.idDocumentType,
    idNumberMasked: user.idNumberMasked,
    createdAt: user.createdAt.toISOString(),
    disabled: !!user.disabledAt,
    timeZone: user.organisation?.timeZone ?? DEFAULT_TIME_ZONE,
  };
}
