/** The structural shape of a PromptTaskDefinition; semantic rules are in @aitrainer/domain promptTaskProblems. */
const str = (maxLength: number) => ({ type: 'string', maxLength });
const input = { type: 'object', additionalProperties: str(20000) };
const check = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { enum: ['exact', 'regex', 'contains', 'json_schema', 'label_equals', 'llm_criterion'] },
    value: str(5000),
    caseSensitive: { type: 'boolean' },
    pattern: str(2000),
    flags: { type: 'string', pattern: '^[imsu]*$' },
    schema: { type: 'object' },
    label: str(200),
    criterion: str(2000),
  },
  additionalProperties: false,
};

export const PROMPT_TASK_DEFINITION_SCHEMA = {
  type: 'object',
  required: ['title', 'scenario', 'variables', 'visibleExamples', 'hiddenCases', 'rubric', 'weights', 'passMark'],
  additionalProperties: false,
  properties: {
    title: str(200),
    scenario: str(10000),
    variables: { type: 'array', maxItems: 20, items: str(64) },
    visibleExamples: { type: 'array', maxItems: 20, items: { type: 'object', required: ['input'], additionalProperties: false, properties: { input } } },
    hiddenCases: {
      type: 'array',
      maxItems: 50,
      items: { type: 'object', required: ['input', 'checks'], additionalProperties: false, properties: { input, checks: { type: 'array', maxItems: 10, items: check } } },
    },
    rubric: {
      type: 'array',
      maxItems: 12,
      items: {
        type: 'object',
        required: ['id', 'name', 'weight', 'maxScore', 'levels'],
        additionalProperties: false,
        properties: {
          id: str(64),
          name: str(200),
          weight: { type: 'number' },
          maxScore: { type: 'number' },
          levels: { type: 'array', maxItems: 10, items: { type: 'object', required: ['score', 'descriptor'], additionalProperties: false, properties: { score: { type: 'number' }, descriptor: str(2000) } } },
          anchors: { type: 'array', maxItems: 10, items: { type: 'object', required: ['text', 'score'], additionalProperties: false, properties: { text: str(10000), score: { type: 'number' } } } },
        },
      },
    },
    weights: { type: 'object', required: ['execution', 'rubric'], additionalProperties: false, properties: { execution: { type: 'number' }, rubric: { type: 'number' } } },
    passMark: { type: 'number' },
  },
};
