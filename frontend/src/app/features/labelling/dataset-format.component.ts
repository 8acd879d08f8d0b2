import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { LabellingTaskType } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';

/** Two records of each task type's dataset, in the JSONL the import reads (`id`, the item fields, `gold`). */
const SAMPLES: Record<LabellingTaskType, object[]> = {
  text_classification: [
    { id: 's1', text: '质量很好，下次还来买', gold: { label: '正面' } },
    { id: 's2', text: '快递太慢了', gold: { label: '负面' } },
  ],
  multi_label_classification: [{ id: 'n1', text: '马拉松赛事带动当地消费', gold: { labels: ['体育', '财经'] } }],
  named_entity_spans: [{ id: 'e1', text: '王芳在杭州工作', gold: { spans: [{ start: 0, end: 2, type: '人名' }, { start: 3, end: 5, type: '地名' }] } }],
  image_bounding_boxes: [{ id: 'img1', image: 'road1.png', width: 640, height: 400, gold: { boxes: [{ label: '车辆', x: 6.25, y: 62.5, width: 31.25, height: 22.5 }] } }],
  transcription: [{ id: 'a1', audio: 'a1.wav', machineTranscript: '今天天汽很好', gold: { text: '今天天气很好' } }],
  dialogue_intent_slots: [{ id: 'd1', turns: [{ speaker: 'user', text: '后天成都会下雨吗' }], gold: { intent: '查询天气', slots: [{ name: '城市', value: '成都' }] } }],
  response_ranking: [{ id: 'r1', prompt: '什么是数据标注？', responses: [{ id: 'A', text: '给数据加标签。' }, { id: 'B', text: '不知道。' }], gold: { ranking: [['A'], ['B']] } }],
  data_cleaning: [{ id: 'c1', topic: '手机评论', text: '加微信领优惠券', gold: { flags: ['off_topic'] } }],
  sft_writing: [{ id: 'w1', sftDirection: 'write_response', instruction: '用一句话解释数据标注。', gold: { text: '数据标注是按规范给原始数据加上标签。' } }],
  preference_rationale: [{ id: 'p1', prompt: '框选有什么要求？', responses: [{ id: 'A', text: '紧贴目标边缘。' }, { id: 'B', text: '画大一点。' }], gold: { choice: 'A', rationale: 'A 符合规范。' } }],
  guideline_writing: [{ id: 'g1', text: '外卖评论，分为正面、负面、中性。', gold: { text: '正面：整体满意……' } }],
  error_review: [{ id: 'v1', batch: [{ id: 'b1', text: '赠品没有送', label: '正面' }], gold: { corrections: [{ id: 'b1', label: '负面', explanation: '这是投诉。' }] } }],
};

/** Where a dataset is uploaded: what its file must look like for the task type, with a sample file to download. */
@Component({
  selector: 'app-dataset-format',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <details class="small" [attr.data-testid]="'dataset-format-' + taskType()">
      <summary>{{ t('labelling.format.title') }}</summary>
      <p class="muted">{{ t('labelling.format.help') }}</p>
      <pre class="mono">{{ sample() }}</pre>
      <a class="btn btn--small" [href]="href()" [attr.download]="taskType() + '-sample.jsonl'" [attr.data-testid]="'dataset-sample-' + taskType()">{{ t('labelling.format.download') }}</a>
      <p class="muted">{{ t('labelling.format.labelStudio') }}</p>
    </details>
  `,
})
export class DatasetFormatComponent extends Localized {
  readonly taskType = input.required<LabellingTaskType>();
  protected readonly sample = computed(() => (SAMPLES[this.taskType()] ?? []).map((r) => JSON.stringify(r)).join('\n') + '\n');
  protected readonly href = computed(() => `data:application/x-ndjson;charset=utf-8,${encodeURIComponent(this.sample())}`);
}
