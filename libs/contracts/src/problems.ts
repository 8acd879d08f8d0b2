/**
 * Field-problem codes the API sends beside `field` (`FieldProblem.code`, with `params`), and their English text (the
 * `problem` string API readers and logs see). The portal words each code from its own catalogue (`problem.<CODE>`) in
 * the reader's language. Each text is a predicate of the field ("is required", "must be at most {max} characters");
 * its `{name}` placeholders are exactly the params the code is sent with (the types below hold every caller to that).
 */
export const PROBLEM_TEXT = {
  // generic: presence, size, form
  REQUIRED: 'is required',
  REQUIRED_WITHIN: 'is required (at most {max} characters)',
  REQUIRED_FOR_ROLE: 'is required for a {role}',
  TOO_LONG: 'must be at most {max} characters',
  TOO_SHORT: 'must be at least {min} characters',
  TOO_SMALL: 'must be at least {min}',
  TOO_LARGE: 'must be at most {max}',
  BETWEEN: 'must be between {min} and {max}',
  TOO_MANY: 'must have at most {max} entries',
  TOO_FEW: 'must have at least {min} entries',
  EMPTY_LIST: 'must not be empty',
  NOT_TEXT: 'must be text',
  NOT_A_NUMBER: 'must be a number',
  NOT_AN_INTEGER: 'must be a whole number',
  NOT_A_BOOLEAN: 'must be true or false',
  NOT_A_LIST: 'must be a list',
  NOT_AN_OBJECT: 'must be an object',
  NOT_A_URL: 'must be an http(s) URL',
  NOT_A_PHONE: 'must be a phone number',
  NOT_A_TIME_ZONE: 'must be an IANA time zone name such as Asia/Shanghai',
  HOURS_FORMAT: 'must be a number of hours with at most one decimal',
  BAD_FORMAT: 'is not in the expected form',
  INVALID: 'is not valid',
  UNKNOWN_FIELD: 'is not a field this request takes',
  MUST_BE_ONE_OF: 'must be one of {allowed}',
  MUST_BE_SOME_OF: 'must be some of {allowed}',
  REQUIRED_ONE_OF: 'is required: one of {allowed}',
  USED_TWICE: 'is used twice',
  ALREADY_USED: 'is already in use',
  DATE_FORMAT: 'must be a date written YYYY-MM-DD',
  ENDS_BEFORE_START: 'must be after the start',
  USERNAME_FORMAT: 'must be 3-64 letters, digits, dots, dashes or underscores',
  KEY_FORMAT: 'must be 1-36 letters, digits, dashes or underscores',
  LEVEL_FORMAT: 'must be a level from 1 to 5',
  DIGITS: 'must be {count} digits',
  GRADE_COMMENT_REQUIRED: 'must explain the grade',
  // JSON, CSV and uploaded files
  NOT_JSON: 'is not valid JSON',
  NOT_JSON_OBJECT: 'must be a JSON object',
  BODY_TOO_DEEP: 'nests objects or arrays too deep',
  JSON_FIELD_REQUIRED: 'is required: a JSON object in its own form field',
  NOT_CSV: 'is not valid CSV ({detail})',
  FILE_REQUIRED: 'is required: choose the file to upload',
  FILE_REQUIRED_OF: 'is required: a {accepted} file',
  FILE_EMPTY: 'is empty',
  FILE_TOO_LARGE: 'is larger than the limit of {limitMb} MB',
  FILE_UNREADABLE_AS: 'cannot be read as {format} ({detail})',
  TOO_MANY_ROWS: 'holds {count} rows; at most {max} are allowed',
  TEXT_ENCODING_GUESS: 'is in {encoding}, which cannot be read without guessing; save it as UTF-8 (or GB18030/GBK, UTF-16 with BOM) and upload it again',
  TEXT_ENCODING_DAMAGED: 'holds the replacement character U+FFFD: it was already damaged by an earlier conversion; upload the original file',
  BULK_ROWS_FORMAT: 'must be a list of rows with number and name (or send text/csv)',
  // identity: GB 11643 ID numbers, other ID documents, GB 32100 credit codes, passwords, accounts
  ID_FORMAT: 'must be 18 characters: 17 digits and a final digit or X',
  ID_AREA_CODE: 'area code is not valid',
  ID_BIRTH_DATE_INVALID: 'birth date is not a real date',
  ID_BIRTH_DATE_FUTURE: 'birth date is in the future',
  ID_CHECK_CHARACTER: 'check character does not match (GB 11643)',
  HMT_PERMIT_PREFIX: 'a Hong Kong, Macao or Taiwan residence permit number starts with 810000, 820000 or 830000',
  HK_MACAO_PERMIT_FORMAT: 'must be H or M followed by 8 or 10 digits',
  TAIWAN_PERMIT_FORMAT: 'must be 8 or 10 digits',
  PASSPORT_FORMAT: 'must be 5 to 20 letters or digits',
  FOREIGN_RESIDENT_FORMAT: 'must be 15 characters (3 letters, 12 digits) or 18 starting with 9',
  ID_TYPE_UNKNOWN: 'unknown ID document type',
  CREDIT_CODE_LENGTH: 'must be 18 characters',
  CREDIT_CODE_CHARACTER: 'contains "{char}", which is not allowed (I, O, S, V and Z are never used)',
  CREDIT_CODE_AREA: 'area code (positions 3-8) must be digits',
  CREDIT_CODE_CHECK: 'check character does not match (GB 32100)',
  PASSWORD_LETTER_AND_DIGIT: 'must contain at least one letter and one digit',
  PASSWORD_CONTAINS_USERNAME: 'must not contain the username',
  PASSWORD_UNCHANGED: 'must differ from the current password',
  WRONG_CURRENT_PASSWORD: 'is not your current password',
  ID_NUMBER_TAKEN: 'already belongs to another account',
  USERNAME_OR_ID_TAKEN: 'is already taken, or the ID number already belongs to another account',
  ADMIN_WITHOUT_ORGANISATION: 'must be empty for a platform admin',
  ORGANISATION_NOT_FOUND: 'does not name an existing organisation',
  ROLE_ORGANISATION_KIND: 'a {role} must belong to a {allowed}, not a {kind}',
  NOT_AN_ISSUER: 'only a certifying enterprise has partner schools',
  NOT_A_SCHOOL: 'does not name a school',
  // certificates
  ENTERPRISE_PREFIX_FORMAT: 'must be 2-8 upper-case letters or digits',
  QUERY_SITES_FORMAT: 'must be up to {max} non-empty texts of at most {maxLength} characters',
  SKILL_NUMBER_INVALID: 'is not a valid skill certificate number: {detail}',
  ISSUER_SETTINGS_MISSING: 'has no certificate settings yet',
  CERTIFICATE_ALREADY_REISSUED: 'was already re-issued',
  CERTIFICATE_REVOKED_FINAL: 'a revoked certificate stays revoked',
  CERTIFICATE_NOT_SUSPENDED: 'only a suspended certificate can be reinstated',
  CERTIFICATE_BEFORE_WALLET: 'was issued before the wallet form existed: ask the issuer to re-issue it',
  CREDENTIAL_UNREADABLE: 'is neither a VC-JWT nor JSON',
  CREDENTIAL_NO_PROOF: 'is neither a VC-JWT nor a credential with a Data Integrity proof',
  // question bank
  NO_QUESTIONS: 'contains no questions',
  QUESTION_TYPE_FIXED: 'cannot change; create a new question instead',
  // labelling, calibration, prompts
  EXERCISE_PUBLISHED_LOCKED: 'cannot change once the exercise is published',
  EXERCISE_NO_ITEMS: 'the exercise has no items: import a dataset first',
  ITEMS_WITHOUT_GOLD: '{count} item(s) have no gold answer yet',
  AGREEMENT_SCORED_ONLY: 'agreement is computed for the task types with a scorer',
  SUBMISSION_NOT_GRADABLE: 'the submission is {state}',
  SUBMISSION_LOCKED: 'the submission was submitted; answers can no longer change',
  ITEM_NOT_GRADED: 'must grade every item; "{item}" is missing',
  ITEM_NOT_IN_EXERCISE: 'no item "{item}" in this exercise',
  CRITERION_NOT_SCORED: 'must score every criterion; "{criterion}" is missing',
  CRITERION_SCORE_RANGE: '"{criterion}" must be between 0 and {max}',
  NOT_A_CRITERION: 'is not a criterion of this task',
  CALIBRATION_OPEN_ONLY: 'calibration applies to open-ended exercises with a rubric',
  LLM_NOT_CONFIGURED: 'no language model is configured: there is no judge to calibrate',
  NO_ANSWERS: 'holds no answers',
  PROMPT_MISSING_VARIABLES: 'must use every variable of the task; missing {variables}',
  // exams and sessions
  SCORE_REQUIRED: 'is required for mode "score" and must be at least 0',
  RESCORE_OBJECTIVE_ONLY: 'only objective questions can be rescored; give a score instead',
  RESULT_PUBLISHED: 'is published; it can no longer change',
  PARTS_DUPLICATE: 'must name each part once',
  NOT_A_PART: '"{part}" is not a part of this exam',
  DIFFICULTY_MIX_FORMAT: 'must be easy, medium or hard with a whole count',
  EXAM_PUBLISHED_LOCKED: 'a published exam cannot change; copy it into a new exam',
  EXAM_PUBLISHED_MEANWHILE: 'the exam was published meanwhile',
  EXAM_PUBLISHED_UNDELETABLE: 'a published exam cannot be deleted',
  EXAM_IN_USE: 'a session uses this exam',
  EXAM_NOT_PUBLISHED: 'the exam is not published',
  NO_SUCH_PART: 'this exam has no {part} part',
  ATTEMPT_START_RETRY: 'could not be started; try again',
  ATTEMPT_SUBMITTED: 'was submitted; answers can no longer change',
  NOT_ON_PAPER: 'is not on this paper',
  ANSWER_SHAPE: 'is not an answer this question takes ({detail})',
  DEADLINE_PASSED: 'passed at {deadline}; answers can no longer change',
  PAPER_UNFILLABLE: 'the question bank can no longer fill this paper ({detail})',
  SESSION_REGISTRATION_CLOSED: 'the session has ended; registration is closed',
  USER_ID_OR_USERNAME: 'give either userId or username, not both',
  USER_REQUIRED: 'is required (or username)',
  ORG_ADMIN_ONLY: 'is set by an org admin',
  NOT_A_STUDENT: 'must be a student account',
  ALREADY_STARTED: 'the candidate has already started; extra time is set before the start',
  // courses, cohorts, rosters
  ROSTER_MISSING_COLUMNS: 'is missing the column(s) {columns}; the first row must name the columns 姓名, 证件类型, 证件号码, 手机号, 班级',
  ROSTER_NO_STUDENTS: 'has a header row but no students',
  ROSTER_FILE_TYPE: 'must be a CSV or Excel (.xlsx) file',
  OLD_EXCEL: 'is an old Excel (.xls) file; save it as .xlsx or CSV',
  IMPORT_RACE: 'some of these students were created by another import at the same time; import the file again',
  SAVED_MEANWHILE: 'was changed by another save at the same time; reload and try again',
  PUBLISHED_MEANWHILE: 'was published by another request',
  NO_DRAFT_CHANGES: 'there are no unpublished changes',
  COURSE_NO_LESSONS: 'a course needs at least one lesson before it is published',
  COURSE_NOT_PUBLISHED: 'the course is not published yet',
  NOT_A_LESSON: 'is not a lesson of this course; save the draft first',
  NOT_YOUR_COHORT: 'is not a cohort you manage or teach',
  NOT_YOUR_STUDENT: 'is not a student of your school',
  NOT_YOUR_INSTRUCTOR: 'must name an instructor of your school',
  PROGRESS_BUSY: 'progress is being recorded by another window; try again',
  COHORT_OR_USER_REQUIRED: 'is required (or cohortId / userId)',
} as const;

export type ProblemCode = keyof typeof PROBLEM_TEXT;
export type ProblemParamValue = string | number;

/** The `{name}` placeholders of a text, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
/** The params a code is sent with: exactly the placeholders of its English text. */
export type ProblemParams<C extends ProblemCode> = { [K in Placeholders<(typeof PROBLEM_TEXT)[C]>]: ProblemParamValue };
/** The rest arguments after a code: its params when its text has placeholders, nothing otherwise. */
export type ProblemArgs<C extends ProblemCode> = [Placeholders<(typeof PROBLEM_TEXT)[C]>] extends [never] ? [] : [params: ProblemParams<C>];

/** A problem as a validator returns it: a code, its params, and the English text. */
export interface CodedProblem {
  code: ProblemCode;
  params?: Record<string, ProblemParamValue>;
  /** The English text (`PROBLEM_TEXT[code]` with its params filled in). */
  problem: string;
}

export function isProblemCode(code: unknown): code is ProblemCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(PROBLEM_TEXT, code);
}

/** `{name}` placeholders filled from params; an unknown one stays as it is. */
export function fillProblemText(template: string, params: Record<string, ProblemParamValue> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** A coded problem with its English text, e.g. `codedProblem('TOO_LONG', { max: 100 })`. */
export function codedProblem<C extends ProblemCode>(code: C, ...args: ProblemArgs<C>): CodedProblem {
  const params = (args[0] ?? undefined) as Record<string, ProblemParamValue> | undefined;
  return { code, ...(params && { params }), problem: fillProblemText(PROBLEM_TEXT[code], params) };
}
