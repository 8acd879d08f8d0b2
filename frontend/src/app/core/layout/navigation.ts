import type { Role } from '@aitrainer/contracts';
import type { MessageKey } from '../i18n/messages.zh';
import { LANDING_PATH } from '../auth/landing';

/** One entry of a role's side menu: every area of a role is one click away from any page. */
export interface NavItem {
  readonly path: string;
  readonly label: MessageKey;
  /** `menu-<id>`: the landing pages keep their own `link-<id>` test ids. */
  readonly id: string;
}

const home = (role: Role): NavItem => ({ path: LANDING_PATH[role], label: 'nav.home', id: 'home' });
const promptAuthoring: readonly NavItem[] = [
  { path: '/prompt-tasks', label: 'prompts.link', id: 'prompt-tasks' },
  { path: '/reviews', label: 'reviews.link', id: 'reviews' },
];

/** The side menu of each role, in the order of its work. */
export const NAVIGATION: Readonly<Record<Role, readonly NavItem[]>> = {
  student: [
    home('student'),
    { path: '/student/labelling', label: 'labelling.link', id: 'labelling' },
    { path: '/practice/prompt-tasks', label: 'practice.link', id: 'prompt-practice' },
    { path: '/student/exams', label: 'exams.link', id: 'exams' },
  ],
  instructor: [
    home('instructor'),
    { path: '/instructor/labelling', label: 'labelling.link', id: 'labelling' },
    { path: '/instructor/question-bank', label: 'bank.link', id: 'question-bank' },
    { path: '/instructor/exams', label: 'examAdmin.link', id: 'exam-builder' },
    ...promptAuthoring,
  ],
  school_admin: [home('school_admin')],
  org_admin: [
    home('org_admin'),
    { path: '/org/exam-sessions', label: 'sessions.link', id: 'exam-sessions' },
    { path: '/org/certificates', label: 'certs.link', id: 'certificates' },
    ...promptAuthoring,
  ],
  bureau_verifier: [home('bureau_verifier'), { path: '/verify', label: 'shell.verify', id: 'verify' }],
  platform_admin: [home('platform_admin'), { path: '/admin/queues', label: 'queues.link', id: 'queues' }, ...promptAuthoring],
};

/**
 * What a route declares in `data`: its title (also the document title) and, for nested pages,
 * the pages above it (paths; `:param` segments are filled from the current URL).
 */
export interface PageData {
  readonly title: MessageKey;
  readonly parents?: readonly { readonly path: string; readonly title: MessageKey }[];
}

export interface Crumb {
  readonly label: string;
  readonly url: string | null;
}
