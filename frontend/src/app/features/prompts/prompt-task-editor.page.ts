import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import {
  OUTPUT_CHECK_KINDS,
  PROMPT_TASK_AUDIENCES,
  type OutputCheck,
  type OutputCheckKind,
  type PromptCase,
  type PromptTaskAudience,
  type PromptTaskDefinition,
  type PromptTaskSummary,
  type PromptTaskView,
  type RubricCriterion,
} from '@aitrainer/contracts';
import type { Subscription } from 'rxjs';
import { type ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { NotificationService } from '../../core/notifications/notification.service';
import { fieldErrorMap, problemMessage } from '../../core/notifications/problem-text';
import { FieldErrorComponent } from '../../shared/components/field-error.component';
import { checkKindText } from './prompt-labels';
import { PromptsApi } from './prompts-api.service';

type Input = Record<string, string>;

function blankDefinition(): PromptTaskDefinition {
  return {
    title: '',
    scenario: '',
    variables: ['review'],
    visibleExamples: [{ input: { review: '' } }],
    hiddenCases: [{ input: { review: '' }, checks: [{ kind: 'label_equals', label: '' }] }],
    rubric: [blankCriterion(1)],
    weights: { execution: 50, rubric: 50 },
    passMark: 60,
  };
}

function blankCriterion(n: number): RubricCriterion {
  return { id: `c${n}`, name: '', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '' }, { score: 4, descriptor: '' }], anchors: [] };
}

function blankCheck(kind: OutputCheckKind): OutputCheck {
  switch (kind) {
    case 'exact': return { kind, value: '' };
    case 'contains': return { kind, value: '' };
    case 'regex': return { kind, pattern: '' };
    case 'json_schema': return { kind, schema: { type: 'object' } };
    case 'label_equals': return { kind, label: '' };
    case 'llm_criterion': return { kind, criterion: '' };
  }
}

type CheckTextKey = 'value' | 'pattern' | 'flags' | 'label' | 'criterion' | 'schema';
type GradeKey = 'execution' | 'rubric' | 'passMark';
interface CheckField {
  key: CheckTextKey;
  label: MessageKey;
  /** A text area of this many rows; otherwise a one-line input. */
  rows?: number;
  mono?: boolean;
  testId?: string;
}

/** What each kind of check asks for. */
const CHECK_FIELDS: Readonly<Record<OutputCheckKind, readonly CheckField[]>> = {
  regex: [
    { key: 'pattern', label: 'prompts.editor.pattern', mono: true, testId: 'check-pattern' },
    { key: 'flags', label: 'prompts.editor.flags', mono: true },
  ],
  json_schema: [{ key: 'schema', label: 'prompts.editor.schema', mono: true, rows: 5 }],
  label_equals: [{ key: 'label', label: 'prompts.editor.label', testId: 'check-label' }],
  llm_criterion: [{ key: 'criterion', label: 'prompts.editor.criterion', rows: 2 }],
  exact: [{ key: 'value', label: 'prompts.editor.value', testId: 'check-value' }],
  contains: [{ key: 'value', label: 'prompts.editor.value', testId: 'check-value' }],
};

/**
 * Authoring one prompt task: a structured form over the whole PromptTaskDefinition. The server's
 * field problems (`definition.hiddenCases[0].checks[0].pattern`) are shown beside the part they name.
 */
@Component({
  selector: 'app-prompt-task-editor-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NgTemplateOutlet, NzCheckboxModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTagModule, RouterLink, FieldErrorComponent],
  templateUrl: './prompt-task-editor.page.html',
  styleUrl: './prompt-task-editor.page.css',
})
export class PromptTaskEditorPage extends Localized {
  private readonly api = inject(PromptsApi);
  private readonly router = inject(Router);
  private readonly notifications = inject(NotificationService);
  protected readonly kinds = OUTPUT_CHECK_KINDS;
  /** The task's weights and pass mark. */
  protected readonly gradeFields: readonly { key: GradeKey; label: MessageKey; testId: string; max: number }[] = [
    { key: 'execution', label: 'prompts.field.weightExecution', testId: 'task-weight-execution', max: Number.MAX_SAFE_INTEGER },
    { key: 'rubric', label: 'prompts.field.weightRubric', testId: 'task-weight-rubric', max: Number.MAX_SAFE_INTEGER },
    { key: 'passMark', label: 'prompts.field.passMark', testId: 'task-pass-mark', max: 100 },
  ];
  protected readonly criterionTextFields = [
    { key: 'id', label: 'prompts.editor.criterionId', testId: 'criterion-id' },
    { key: 'name', label: 'prompts.editor.criterionName', testId: 'criterion-name' },
  ] as const satisfies readonly { key: 'id' | 'name'; label: MessageKey; testId: string }[];
  protected readonly criterionNumberFields = [
    { key: 'weight', label: 'prompts.editor.weight', min: 0 },
    { key: 'maxScore', label: 'prompts.editor.maxScore', min: 1 },
  ] as const satisfies readonly { key: 'weight' | 'maxScore'; label: MessageKey; min: number }[];
  protected readonly kindText = (kind: OutputCheckKind) => checkKindText(this.i18n, kind);

  private readonly idParam = inject(ActivatedRoute).snapshot.paramMap.get('id');
  /** Null until a new task is first saved (the router reuses this page for /prompt-tasks/new -> /:id). */
  protected taskId: number | null = this.idParam && this.idParam !== 'new' ? Number(this.idParam) : null;

  protected readonly loading = signal(this.taskId !== null);
  protected readonly loadProblem = signal<ApiProblem | null>(null);
  protected readonly task = signal<PromptTaskSummary | null>(null);
  protected readonly saving = signal(false);
  protected readonly publishing = signal(false);
  protected readonly dirty = signal(false);
  private readonly problem = signal<ApiProblem | null>(null);
  /** Paths the author changed since the server's answer: their problems are hidden. */
  private readonly edited = signal<ReadonlySet<string>>(new Set());

  /** The definition being edited; the template reads it directly and every edit goes through `changed()`. */
  protected model: PromptTaskDefinition = blankDefinition();
  /** Who practises the task once published (sent with the definition). */
  protected readonly audience = signal<PromptTaskAudience>('organisation');
  protected readonly audiences = PROMPT_TASK_AUDIENCES;
  protected readonly audienceLabel = (a: PromptTaskAudience): string => this.t(`labelling.audience.${a}`);
  protected variablesText = this.model.variables.join(', ');
  private readonly schemaTexts = new WeakMap<object, string>();
  private readonly schemaErrors = new WeakMap<object, string>();
  protected jsonText = '';
  protected readonly jsonError = signal<string | null>(null);
  private subscription?: Subscription;

  protected readonly errors = computed(() => {
    const all: Record<string, string> = { ...fieldErrorMap(this.problem(), this.i18n) };
    for (const path of this.edited()) {
      for (const key of Object.keys(all)) if (key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`)) delete all[key];
    }
    return all;
  });
  protected readonly errorList = computed(() => Object.entries(this.errors()).map(([field, problem]) => ({ field: field.replace(/^definition\.?/, '') || '—', problem })));
  protected readonly problemText = computed(() => {
    const problem = this.problem();
    return problem && problem.code !== 'VALIDATION_FAILED' ? problemMessage(problem, this.i18n) : null;
  });
  protected readonly nextVersion = computed(() => (this.task()?.version ?? 0) + 1);

  constructor() {
    super();
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
    if (this.taskId !== null) this.load(this.taskId);
  }

  protected load(id: number): void {
    this.loading.set(true);
    this.loadProblem.set(null);
    this.subscription = this.api.get(id).subscribe({
      next: (view) => this.adopt(view),
      error: (error: unknown) => {
        this.loading.set(false);
        this.loadProblem.set(toApiProblem(error));
      },
    });
  }

  private adopt(view: PromptTaskView): void {
    this.task.set(view);
    this.model = structuredClone(view.definition);
    this.audience.set(view.audience);
    this.variablesText = this.model.variables.join(', ');
    this.loading.set(false);
    this.dirty.set(false);
  }

  /** The server's problem for `definition.<path>`, unless the author has changed that part since. */
  protected err(path: string): string | undefined {
    return this.errors()[path ? `definition.${path}` : 'definition'];
  }

  /** Every problem under `path` (e.g. all of `variables[0]`, `variables[1]`), joined. */
  protected errUnder(path: string): string | undefined {
    const full = `definition.${path}`;
    const hits = Object.entries(this.errors()).filter(([key]) => key === full || key.startsWith(`${full}[`) || key.startsWith(`${full}.`));
    return hits.length ? hits.map(([, problem]) => problem).join('；') : undefined;
  }

  /** An Ant form control's status for a field whose problem is `message`. */
  protected status(message: string | null | undefined): 'error' | '' {
    return message ? 'error' : '';
  }

  protected gradeValue(key: GradeKey): number {
    return key === 'passMark' ? this.model.passMark : this.model.weights[key];
  }
  /** The weights' problems (e.g. they add up to nothing) show under the first weight. */
  protected gradeError(key: GradeKey): string | undefined {
    return key === 'passMark' ? this.err('passMark') : key === 'execution' ? this.errUnder('weights') : undefined;
  }
  protected setGrade(key: GradeKey, value: number | null): void {
    if (key === 'passMark') this.setPassMark(value);
    else this.setWeight(key, value);
  }

  protected checkFields(check: OutputCheck): readonly CheckField[] {
    return CHECK_FIELDS[check.kind];
  }
  protected checkText(check: OutputCheck, key: CheckTextKey): string {
    if (key === 'schema') return this.schemaText(check);
    const value = (check as unknown as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : '';
  }
  protected setCheckText(check: OutputCheck, key: CheckTextKey, event: Event, path: string): void {
    if (key === 'schema') this.setSchema(check, event, path);
    else this.setField(check, key, event, path);
  }

  /** Call after any edit of `path` (relative to the definition). */
  protected changed(path: string): void {
    this.dirty.set(true);
    const full = `definition.${path}`;
    if (!this.edited().has(full)) this.edited.update((paths) => new Set(paths).add(full));
  }

  protected text(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
  }

  /** A number from an input; a blank input is NaN (sent as null), so the server can name it. */
  /** A number field's value: an empty field is NaN in the model (the check names it), null in the Ant input. */
  protected numeric(value: number): number | null {
    return Number.isFinite(value) ? value : null;
  }
  private fromField(value: number | null | undefined): number {
    return value === null || value === undefined ? Number.NaN : value;
  }

  // simple fields
  protected setVariables(event: Event): void {
    this.variablesText = this.text(event);
    this.model.variables = this.variablesText.split(/[,，、\s]+/).map((v) => v.trim()).filter(Boolean);
    this.changed('variables');
  }

  protected token(variable: string): string {
    return `{{${variable}}}`;
  }

  protected inputValue(input: Input, variable: string): string {
    return input[variable] ?? '';
  }

  protected setInput(input: Input, variable: string, event: Event, path: string): void {
    input[variable] = this.text(event);
    this.changed(`${path}.input.${variable}`);
  }

  // examples and cases
  protected addExample(): void {
    this.model.visibleExamples.push({ input: {} });
    this.changed('visibleExamples');
  }

  protected addCase(): void {
    this.model.hiddenCases.push({ input: {}, checks: [blankCheck('label_equals')] });
    this.changed('hiddenCases');
  }

  protected remove<T>(list: T[], index: number, path: string): void {
    list.splice(index, 1);
    this.changed(path);
  }

  protected addCheck(testCase: PromptCase, index: number): void {
    testCase.checks.push(blankCheck('contains'));
    this.changed(`hiddenCases[${index}].checks`);
  }

  protected setKind(testCase: PromptCase, j: number, kind: OutputCheckKind, path: string): void {
    testCase.checks[j] = blankCheck(kind);
    this.changed(path);
  }

  protected setField(check: OutputCheck, field: 'value' | 'pattern' | 'flags' | 'label' | 'criterion', event: Event, path: string): void {
    const value = this.text(event);
    const target = check as unknown as Record<string, unknown>;
    if (field === 'flags' && value === '') delete target['flags'];
    else target[field] = value;
    this.changed(`${path}.${field}`);
  }

  protected setIgnoreCase(check: OutputCheck, ignore: boolean, path: string): void {
    const target = check as { caseSensitive?: boolean };
    if (ignore) target.caseSensitive = false;
    else delete target.caseSensitive;
    this.changed(`${path}.caseSensitive`);
  }

  protected schemaText(check: OutputCheck): string {
    if (check.kind !== 'json_schema') return '';
    let text = this.schemaTexts.get(check);
    if (text === undefined) {
      text = JSON.stringify(check.schema, null, 2);
      this.schemaTexts.set(check, text);
    }
    return text;
  }

  protected schemaError(check: OutputCheck): string | undefined {
    return this.schemaErrors.get(check);
  }

  protected setSchema(check: OutputCheck, event: Event, path: string): void {
    if (check.kind !== 'json_schema') return;
    const text = this.text(event);
    this.schemaTexts.set(check, text);
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      check.schema = parsed as Record<string, unknown>;
      this.schemaErrors.delete(check);
    } catch {
      this.schemaErrors.set(check, this.t('prompts.editor.schemaInvalid'));
    }
    this.changed(`${path}.schema`);
  }

  // rubric
  protected addCriterion(): void {
    this.model.rubric.push(blankCriterion(this.model.rubric.length + 1));
    this.changed('rubric');
  }

  protected setCriterion(c: RubricCriterion, field: 'id' | 'name', event: Event, path: string): void {
    c[field] = this.text(event);
    this.changed(`${path}.${field}`);
  }

  protected setCriterionNumber(c: RubricCriterion, field: 'weight' | 'maxScore', value: number | null, path: string): void {
    c[field] = this.fromField(value);
    this.changed(`${path}.${field}`);
  }

  protected addLevel(c: RubricCriterion, path: string): void {
    c.levels.push({ score: 0, descriptor: '' });
    this.changed(`${path}.levels`);
  }

  protected addAnchor(c: RubricCriterion, path: string): void {
    (c.anchors ??= []).push({ text: '', score: 0 });
    this.changed(`${path}.anchors`);
  }

  protected setLevelScore(level: { score: number }, value: number | null, path: string): void {
    level.score = this.fromField(value);
    this.changed(`${path}.score`);
  }

  protected setLevelText(level: { descriptor: string }, event: Event, path: string): void {
    level.descriptor = this.text(event);
    this.changed(`${path}.descriptor`);
  }

  protected setAnchorText(anchor: { text: string }, event: Event, path: string): void {
    anchor.text = this.text(event);
    this.changed(`${path}.text`);
  }

  protected setTitle(event: Event): void {
    this.model.title = this.text(event);
    this.changed('title');
  }

  protected setScenario(event: Event): void {
    this.model.scenario = this.text(event);
    this.changed('scenario');
  }

  protected setWeight(field: 'execution' | 'rubric', value: number | null): void {
    this.model.weights[field] = this.fromField(value);
    this.changed('weights');
  }

  protected setPassMark(value: number | null): void {
    this.model.passMark = this.fromField(value);
    this.changed('passMark');
  }

  // the whole definition as JSON, for authors who paste tasks
  protected openJson(event: Event): void {
    if (!(event.target as HTMLDetailsElement).open) return;
    this.jsonText = JSON.stringify(this.definition(), null, 2);
    this.jsonError.set(null);
  }

  protected setJson(event: Event): void {
    this.jsonText = this.text(event);
  }

  protected applyJson(): void {
    try {
      const parsed = JSON.parse(this.jsonText) as PromptTaskDefinition;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      this.model = {
        ...blankDefinition(),
        ...parsed,
        variables: Array.isArray(parsed.variables) ? parsed.variables : [],
        visibleExamples: Array.isArray(parsed.visibleExamples) ? parsed.visibleExamples : [],
        hiddenCases: Array.isArray(parsed.hiddenCases) ? parsed.hiddenCases.map((c) => ({ ...c, checks: Array.isArray(c.checks) ? c.checks : [] })) : [],
        rubric: Array.isArray(parsed.rubric) ? parsed.rubric.map((c) => ({ ...c, levels: Array.isArray(c.levels) ? c.levels : [] })) : [],
        weights: { ...blankDefinition().weights, ...(parsed.weights ?? {}) },
      };
      this.variablesText = this.model.variables.join(', ');
      this.jsonError.set(null);
      this.changed('');
    } catch {
      this.jsonError.set(this.t('prompts.editor.jsonInvalid'));
    }
  }

  /** What is sent: inputs carry exactly the task's variables. */
  private definition(): PromptTaskDefinition {
    const def = structuredClone(this.model);
    const only = (input: Input): Input => Object.fromEntries(def.variables.map((v) => [v, input?.[v] ?? '']));
    def.visibleExamples = def.visibleExamples.map((e) => ({ input: only(e.input) }));
    def.hiddenCases = def.hiddenCases.map((c) => ({ ...c, input: only(c.input) }));
    return def;
  }

  private hasSchemaErrors(): boolean {
    return this.model.hiddenCases.some((c) => c.checks.some((check) => this.schemaErrors.has(check)));
  }

  protected setAudience(audience: PromptTaskAudience): void {
    this.audience.set(audience);
    this.dirty.set(true);
  }

  protected save(): void {
    if (this.saving()) return;
    if (this.hasSchemaErrors()) {
      this.notifications.info('prompts.editor.fixSchema');
      return;
    }
    const wasPublished = this.task()?.status === 'published';
    this.saving.set(true);
    const request = this.taskId === null ? this.api.create(this.definition(), this.audience()) : this.api.update(this.taskId, this.definition(), this.audience());
    this.subscription = request.subscribe({
      next: (view) => {
        this.saving.set(false);
        this.problem.set(null);
        this.edited.set(new Set());
        const created = this.taskId === null;
        this.taskId = view.id;
        this.adopt(view);
        if (created) {
          this.notifications.success('prompts.notice.created');
          void this.router.navigate(['/prompt-tasks', view.id], { replaceUrl: true });
          return;
        }
        if (wasPublished) this.notifications.success('prompts.notice.newVersion', { version: view.version });
        else this.notifications.success('notice.saved');
      },
      error: (error: unknown) => {
        this.saving.set(false);
        const problem = toApiProblem(error);
        this.problem.set(problem);
        this.edited.set(new Set());
        if (problem.code !== 'VALIDATION_FAILED') this.notifications.error(problem);
      },
    });
  }

  protected publish(): void {
    if (this.taskId === null || this.publishing()) return;
    this.publishing.set(true);
    this.subscription = this.api.publish(this.taskId).subscribe({
      next: (summary) => {
        this.publishing.set(false);
        this.task.set(summary);
        this.notifications.success('prompts.notice.published', { version: summary.version });
      },
      error: (error: unknown) => {
        this.publishing.set(false);
        this.notifications.error(error);
      },
    });
  }
}
