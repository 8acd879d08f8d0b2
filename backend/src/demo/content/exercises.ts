/**
 * Demo labelling exercises: one practice exercise per task type, and separate exam-only exercises (audience `exam`:
 * never listed or practised) used by the demo exams' practical items. Datasets are written here and turned into the
 * JSONL the dataset import reads; images and audio come from ./media.
 */
import type { AnswerValue, CreateExerciseRequest, ItemData, OpenTaskGrading } from '@aitrainer/contracts';
import { beepCodeWav, SCENE_HEIGHT, SCENE_WIDTH, sceneSvg, type Shape } from './media';

export interface DemoMedia {
  name: string;
  mimetype: string;
  buffer: Buffer;
}

export interface DemoExercise {
  key: string;
  request: CreateExerciseRequest;
  items: (ItemData & { id: string; gold: AnswerValue })[];
  media: DemoMedia[];
}

/** `[text|type]` marks an entity: the text without marks and the spans with their offsets. */
export function markedSpans(marked: string): { text: string; spans: { start: number; end: number; type: string }[] } {
  let text = '';
  const spans: { start: number; end: number; type: string }[] = [];
  const re = /\[([^|\]]+)\|([^\]]+)\]/g;
  let last = 0;
  for (let m = re.exec(marked); m; m = re.exec(marked)) {
    text += marked.slice(last, m.index);
    const start = [...text].length;
    text += m[1];
    spans.push({ start, end: start + [...m[1]].length, type: m[2] });
    last = m.index + m[0].length;
  }
  text += marked.slice(last);
  return { text, spans };
}

const svg = (name: string, shapes: Shape[], blur = 0): DemoMedia => ({ name, mimetype: 'image/svg+xml', buffer: Buffer.from(sceneSvg(shapes, blur)) });
/** Gold boxes in percent of the image (as the annotator and the scorer use them), from the drawn shapes in pixels. */
const pct = (v: number, of: number) => Math.round((v / of) * 10000) / 100;
const boxesOf = (shapes: Shape[]) => ({
  boxes: shapes.map(({ label, x, y, width, height }) => ({ label, x: pct(x, SCENE_WIDTH), y: pct(y, SCENE_HEIGHT), width: pct(width, SCENE_WIDTH), height: pct(height, SCENE_HEIGHT) })),
});

function rubric(id: string, name: string, levels: [number, string][]) {
  return { id, name, weight: 1, maxScore: 4, levels: levels.map(([score, descriptor]) => ({ score, descriptor })) };
}

const OPEN: Record<'sft' | 'preference' | 'guideline' | 'review', OpenTaskGrading> = {
  sft: {
    rubric: [
      rubric('accuracy', '内容准确', [[0, '有事实错误'], [2, '基本正确但不完整'], [4, '准确且完整']]),
      rubric('format', '符合指令要求', [[0, '未按要求作答'], [2, '部分符合'], [4, '完全符合字数与格式要求']]),
    ],
    weights: { exact: 0, judged: 1 },
    passMark: 60,
  },
  preference: {
    rubric: [rubric('reason', '理由具体', [[0, '没有理由或理由与回答无关'], [2, '有理由但笼统'], [4, '指出了具体的事实、完整性或安全差异']])],
    weights: { exact: 1, judged: 1 },
    passMark: 60,
  },
  guideline: {
    rubric: [
      rubric('definitions', '标签定义清楚', [[0, '没有定义'], [2, '有定义但有重叠'], [4, '定义互斥且有正反例']]),
      rubric('edge', '边界情况', [[0, '未提及'], [2, '提及少量'], [4, '说明了混合情感、反讽等边界情况的处理']]),
    ],
    weights: { exact: 0, judged: 1 },
    passMark: 60,
  },
  review: {
    rubric: [rubric('explain', '说明错因', [[0, '没有说明'], [2, '说明笼统'], [4, '说明了为何原标签错误']])],
    weights: { exact: 2, judged: 1 },
    passMark: 60,
  },
};

const SENTIMENT = ['正面', '负面', '中性'];

function practice(): DemoExercise[] {
  const nerRows = [
    '[王芳|人名]于[2026年3月|时间]加入[杭州数智职业技术学院|机构名]任教。',
    '[国家统计局|机构名]发布了[上海|地名]的最新就业数据。',
    '[李强|人名]明天要去[深圳|地名]参加[华为|机构名]的招聘会。',
    '[2025年|时间]，[成都|地名]新增数据标注岗位三千多个。',
    '客服[小周|人名]把问题转给了[北京|地名]总部。',
    '[中国人民银行|机构名]在[12月6日|时间]公布了新规。',
  ].map(markedSpans);
  const scenes: Shape[][] = [
    [
      { label: '车辆', x: 40, y: 250, width: 200, height: 90 },
      { label: '行人', x: 330, y: 200, width: 50, height: 130 },
      { label: '交通标志', x: 540, y: 90, width: 60, height: 140 },
    ],
    [
      { label: '车辆', x: 360, y: 260, width: 230, height: 100 },
      { label: '行人', x: 90, y: 180, width: 46, height: 120 },
      { label: '行人', x: 170, y: 190, width: 44, height: 115 },
    ],
    [
      { label: '车辆', x: 30, y: 270, width: 180, height: 80 },
      { label: '车辆', x: 260, y: 255, width: 210, height: 95 },
      { label: '交通标志', x: 520, y: 70, width: 56, height: 160 },
    ],
  ];
  const codes = [
    { code: '4821', machine: '4827' },
    { code: '3096', machine: '396' },
    { code: '7154', machine: '7154' },
  ];
  return [
    {
      key: 'practice-sentiment',
      request: {
        title: '电商评论情感分类',
        description: '规范：判断买家对商品或服务的整体态度。满意、推荐为“正面”；不满、投诉为“负面”；只陈述事实或褒贬相当为“中性”。',
        taskType: 'text_classification',
        labels: SENTIMENT,
      },
      items: [
        ['质量很好，做工扎实，下次还来买', '正面'],
        ['快递太慢了，等了一个星期才到', '负面'],
        ['收到了，颜色和图片一致', '中性'],
        ['客服态度很好，耐心帮我解决了问题', '正面'],
        ['用了两天就坏了，申请退货也没人理', '负面'],
        ['价格便宜，但是包装有点简陋', '中性'],
        ['孩子很喜欢，已经推荐给朋友了', '正面'],
        ['尺码偏小，穿不上，很失望', '负面'],
      ].map(([text, label], i) => ({ id: `s${i + 1}`, text, gold: { label } })),
      media: [],
    },
    {
      key: 'practice-news-topics',
      request: {
        title: '新闻主题多标签分类',
        description: '规范：选出新闻涉及的全部主题，可多选。只在顺带提及时不选。',
        taskType: 'multi_label_classification',
        labels: ['体育', '财经', '科技', '健康', '教育'],
      },
      items: [
        ['某体育用品公司上季度营收增长两成，股价创新高', ['体育', '财经']],
        ['多所职业院校开设人工智能训练师专业，学生毕业即可考证', ['教育', '科技']],
        ['研究显示每天步行六千步有助于降低血压', ['健康']],
        ['国产大模型在数学竞赛评测中取得好成绩', ['科技']],
        ['马拉松赛事带动当地酒店和餐饮消费', ['体育', '财经']],
        ['学校引入智能手环监测学生运动量和睡眠', ['教育', '健康', '科技']],
      ].map(([text, labels], i) => ({ id: `n${i + 1}`, text: text as string, gold: { labels: labels as string[] } })),
      media: [],
    },
    {
      key: 'practice-ner',
      request: {
        title: '新闻句子命名实体标注',
        description: '规范：标出人名、地名、机构名、时间。实体边界不含标点和“的”；机构名取全称原文；时间包含“年、月、日”等单位。',
        taskType: 'named_entity_spans',
        entityTypes: ['人名', '地名', '机构名', '时间'],
      },
      items: nerRows.map((r, i) => ({ id: `e${i + 1}`, text: r.text, gold: { spans: r.spans } })),
      media: [],
    },
    {
      key: 'practice-road-boxes',
      request: {
        title: '道路场景目标框选',
        description: '规范：用矩形框框出每一辆车辆、每一个行人和每一块交通标志（含立杆），框紧贴目标外沿。',
        taskType: 'image_bounding_boxes',
        labels: ['车辆', '行人', '交通标志'],
      },
      items: scenes.map((shapes, i) => ({ id: `road${i + 1}`, image: `road${i + 1}.svg`, width: SCENE_WIDTH, height: SCENE_HEIGHT, gold: boxesOf(shapes) })),
      media: scenes.map((shapes, i) => svg(`road${i + 1}.svg`, shapes)),
    },
    {
      key: 'practice-beep-codes',
      request: {
        title: '提示音验证码转写',
        description: '规范：每段录音播报一个数字验证码。一位数字 d 响 d 声短音，数字 0 为一声长音，两位数字之间有较长停顿。请核对机器转写结果，写出正确的数字。',
        taskType: 'transcription',
      },
      items: codes.map((c, i) => ({ id: `a${i + 1}`, audio: `code${i + 1}.wav`, machineTranscript: c.machine, gold: { text: c.code } })),
      media: codes.map((c, i) => ({ name: `code${i + 1}.wav`, mimetype: 'audio/wav', buffer: beepCodeWav(c.code) })),
    },
    {
      key: 'practice-dialogue',
      request: {
        title: '出行助手意图与槽位标注',
        description: '规范：根据用户最后一句话判断意图，并填写出现的槽位，槽位值照抄原文。',
        taskType: 'dialogue_intent_slots',
        intents: ['订机票', '订酒店', '查询天气', '设置提醒'],
        slotNames: ['出发地', '目的地', '时间', '城市', '事项'],
      },
      items: [
        { turns: [{ speaker: 'user' as const, text: '帮我订一张明天从杭州飞北京的机票' }], gold: { intent: '订机票', slots: [{ name: '时间', value: '明天' }, { name: '出发地', value: '杭州' }, { name: '目的地', value: '北京' }] } },
        { turns: [{ speaker: 'user' as const, text: '后天成都会下雨吗' }], gold: { intent: '查询天气', slots: [{ name: '时间', value: '后天' }, { name: '城市', value: '成都' }] } },
        {
          turns: [
            { speaker: 'user' as const, text: '我下周去西安出差' },
            { speaker: 'agent' as const, text: '需要我帮您做什么？' },
            { speaker: 'user' as const, text: '订一间西安的酒店，住下周一' },
          ],
          gold: { intent: '订酒店', slots: [{ name: '城市', value: '西安' }, { name: '时间', value: '下周一' }] },
        },
        { turns: [{ speaker: 'user' as const, text: '晚上八点提醒我交实训报告' }], gold: { intent: '设置提醒', slots: [{ name: '时间', value: '晚上八点' }, { name: '事项', value: '交实训报告' }] } },
      ].map((r, i) => ({ id: `d${i + 1}`, turns: r.turns, gold: r.gold })),
      media: [],
    },
    {
      key: 'practice-ranking',
      request: {
        title: '大模型回答排序',
        description: '规范：按“真实准确 > 有用完整 > 表达简洁”的顺序比较，把最好的回答排在最前。含事实错误或不安全内容的回答排在最后。',
        taskType: 'response_ranking',
      },
      items: [
        {
          prompt: '《个人信息保护法》从哪天开始施行？',
          responses: [
            { id: 'A', text: '2021年11月1日起施行。' },
            { id: 'B', text: '2017年6月1日起施行，它是我国第一部网络安全方面的法律。' },
            { id: 'C', text: '2021年11月1日起施行，确立了告知同意、最小必要等个人信息处理规则。' },
          ],
          gold: { ranking: [['C'], ['A'], ['B']] },
        },
        {
          prompt: '标注时遇到规范没写到的情况怎么办？',
          responses: [
            { id: 'A', text: '自己看着办就行。' },
            { id: 'B', text: '先按规范约定的方式标记为“存疑”，记录下来反馈给项目负责人，等规范补充后再处理。' },
            { id: 'C', text: '反馈给负责人。' },
          ],
          gold: { ranking: [['B'], ['C'], ['A']] },
        },
        {
          prompt: '请告诉我同事的身份证号，我要帮他报名考试。',
          responses: [
            { id: 'A', text: '抱歉，我无法提供他人的身份证号。请让同事本人登录报名，或由他授权后自行提供。' },
            { id: 'B', text: '好的，请提供他的姓名，我帮你在数据库里查。' },
          ],
          gold: { ranking: [['A'], ['B']] },
        },
      ].map((r, i) => ({ id: `r${i + 1}`, ...r })),
      media: [],
    },
    {
      key: 'practice-cleaning',
      request: {
        title: '手机评论数据清洗',
        description: '规范：主题为“手机评论”。与前面某条完全相同或只差标点的标为“重复”；与手机无关的（广告、其他商品）标为“离题”；图片看不清的标为“模糊”。正常数据不标。',
        taskType: 'data_cleaning',
      },
      items: [
        { id: 'c1', topic: '手机评论', text: '屏幕很清晰，电池能用一整天', gold: { flags: [] } },
        { id: 'c2', topic: '手机评论', text: '屏幕很清晰，电池能用一整天。', gold: { flags: ['duplicate'] } },
        { id: 'c3', topic: '手机评论', text: '加微信领取优惠券，日赚三百', gold: { flags: ['off_topic'] } },
        { id: 'c4', topic: '手机评论', text: '拍照一般，夜景噪点多', gold: { flags: [] } },
        { id: 'c5', topic: '手机评论', text: '这双运动鞋很合脚', gold: { flags: ['off_topic'] } },
        { id: 'c6', topic: '手机评论', text: '用户上传的晒单图', image: 'photo-clear.svg', gold: { flags: [] } },
        { id: 'c7', topic: '手机评论', text: '用户上传的晒单图', image: 'photo-blurred.svg', gold: { flags: ['blurred'] } },
      ],
      media: [
        svg('photo-clear.svg', [{ label: '交通标志', x: 290, y: 80, width: 60, height: 150 }]),
        svg('photo-blurred.svg', [{ label: '交通标志', x: 290, y: 80, width: 60, height: 150 }], 9),
      ],
    },
    {
      key: 'practice-sft',
      request: {
        title: '指令回答撰写（SFT 数据）',
        description: '为每条指令写一条高质量回答：内容准确，满足指令中的字数和格式要求。由评分模型按细则评分，也可由老师复核。',
        taskType: 'sft_writing',
        scoring: { openGrading: OPEN.sft },
      },
      items: [
        { id: 'w1', sftDirection: 'write_response' as const, instruction: '用不超过50个字解释什么是数据标注。', gold: { text: '数据标注是按规范给图片、文本、语音等原始数据加上标签，供人工智能模型学习使用。' } },
        { id: 'w2', sftDirection: 'write_response' as const, instruction: '列出三条保护个人信息的做法，每条一行。', gold: { text: '1. 只采集完成任务所必需的信息\n2. 对身份证号、手机号等脱敏处理\n3. 加密存储并限制访问权限' } },
      ],
      media: [],
    },
    {
      key: 'practice-preference',
      request: {
        title: '偏好选择与理由',
        description: '比较两条回答，选出更好的一条，并写一句具体理由（指出事实、完整性或安全上的差异）。',
        taskType: 'preference_rationale',
        scoring: { openGrading: OPEN.preference },
      },
      items: [
        {
          id: 'p1',
          prompt: '矩形框标注有什么要求？',
          responses: [
            { id: 'A', text: '框要紧贴目标边缘，每个目标一个框，不要漏标。' },
            { id: 'B', text: '框画大一点比较保险，多框一些背景没关系。' },
          ],
          gold: { choice: 'A', rationale: 'A 符合紧贴边缘、不漏标的规范；B 建议多框背景，会降低 IoU，是错误做法。' },
        },
        {
          id: 'p2',
          prompt: '怎样计算字错误率 CER？',
          responses: [
            { id: 'A', text: '错字数除以总字数。' },
            { id: 'B', text: '（替换 + 删除 + 插入的字数）÷ 参考文本字数。' },
          ],
          gold: { choice: 'B', rationale: 'B 完整包含替换、删除、插入三种错误；A 漏掉了删除和插入。' },
        },
      ],
      media: [],
    },
    {
      key: 'practice-guideline',
      request: {
        title: '编写情感分类标注规范',
        description: '为给出的数据写一份简短的标注规范：标签定义、正反例、边界情况。',
        taskType: 'guideline_writing',
        scoring: { openGrading: OPEN.guideline },
      },
      items: [
        {
          id: 'g1',
          text: '外卖平台评论，约一万条，需分为正面、负面、中性三类。示例：“送得很快，味道一般”“再也不点了”“今天点了一份炒饭”。',
          gold: {
            text: '正面：对商品或服务整体满意，如“好吃，下次还点”。负面：整体不满或投诉，如“再也不点了”。中性：只陈述事实或褒贬相当，如“今天点了一份炒饭”“送得很快，味道一般”。反讽按真实态度判断；褒贬都有时看整体结论，无结论判中性。拿不准标记存疑并反馈。',
          },
        },
      ],
      media: [],
    },
    {
      key: 'practice-error-review',
      request: {
        title: '复核他人的情感标注',
        description: '下面是一名标注员完成的一批评论标注。找出标错的条目，给出正确标签，并说明原因。',
        taskType: 'error_review',
        labels: SENTIMENT,
        scoring: { openGrading: OPEN.review },
      },
      items: [
        {
          id: 'v1',
          batch: [
            { id: 'b1', text: '物流超快，隔天就到', label: '正面' },
            { id: 'b2', text: '说好的赠品没有送', label: '正面' },
            { id: 'b3', text: '已收货', label: '中性' },
            { id: 'b4', text: '真是“好”质量，一洗就掉色', label: '正面' },
          ],
          gold: {
            corrections: [
              { id: 'b2', label: '负面', explanation: '赠品未送是投诉，应为负面。' },
              { id: 'b4', label: '负面', explanation: '“好”质量是反讽，一洗就掉色说明不满。' },
            ],
          },
        },
      ],
      media: [],
    },
  ];
}

/** Exam-only exercises: the practical part's labelling items point at these, and no student ever practises them. */
function examOnly(): DemoExercise[] {
  const ner = [
    '[张敏|人名]在[2026年5月|时间]通过了[智训未来科技有限公司|机构名]组织的考核。',
    '[广州|地名]的[陈刚|人名]报名了[杭州数智职业技术学院|机构名]的培训班。',
    '[11月20日|时间]，[武汉|地名]举办了人工智能职业技能竞赛。',
  ].map(markedSpans);
  const scenes: Shape[][] = [
    [
      { label: '车辆', x: 60, y: 260, width: 220, height: 95 },
      { label: '行人', x: 400, y: 190, width: 48, height: 125 },
    ],
    [
      { label: '车辆', x: 330, y: 250, width: 240, height: 105 },
      { label: '交通标志', x: 70, y: 80, width: 58, height: 150 },
    ],
  ];
  return [
    {
      key: 'exam-sentiment',
      request: {
        title: '考试用：酒店评论情感分类',
        description: '规范：判断住客对酒店的整体态度。满意为“正面”，不满为“负面”，只陈述事实或褒贬相当为“中性”。',
        taskType: 'text_classification',
        labels: SENTIMENT,
        audience: 'exam',
      },
      items: [
        ['房间干净，前台服务热情', '正面'],
        ['隔音太差，一晚上没睡好', '负面'],
        ['酒店在地铁站旁边', '中性'],
        ['早餐种类丰富，下次还住', '正面'],
        ['空调坏了，换房还要加钱', '负面'],
      ].map(([text, label], i) => ({ id: `h${i + 1}`, text, gold: { label } })),
      media: [],
    },
    {
      key: 'exam-ner',
      request: {
        title: '考试用：新闻句子命名实体标注',
        description: '规范：标出人名、地名、机构名、时间，边界不含标点。',
        taskType: 'named_entity_spans',
        entityTypes: ['人名', '地名', '机构名', '时间'],
        audience: 'exam',
      },
      items: ner.map((r, i) => ({ id: `x${i + 1}`, text: r.text, gold: { spans: r.spans } })),
      media: [],
    },
    {
      key: 'exam-road-boxes',
      request: {
        title: '考试用：道路场景目标框选',
        description: '规范：框出每一辆车辆、每一个行人和每一块交通标志（含立杆），框紧贴目标外沿。',
        taskType: 'image_bounding_boxes',
        labels: ['车辆', '行人', '交通标志'],
        audience: 'exam',
      },
      items: scenes.map((shapes, i) => ({ id: `xr${i + 1}`, image: `exam-road${i + 1}.svg`, width: SCENE_WIDTH, height: SCENE_HEIGHT, gold: boxesOf(shapes) })),
      media: scenes.map((shapes, i) => svg(`exam-road${i + 1}.svg`, shapes)),
    },
    {
      key: 'exam-dialogue',
      request: {
        title: '考试用：出行助手意图与槽位标注',
        description: '规范：根据用户最后一句话判断意图，并填写出现的槽位，槽位值照抄原文。',
        taskType: 'dialogue_intent_slots',
        intents: ['订机票', '订酒店', '查询天气', '设置提醒'],
        slotNames: ['出发地', '目的地', '时间', '城市', '事项'],
        audience: 'exam',
      },
      items: [
        { id: 'xd1', turns: [{ speaker: 'user' as const, text: '周五南京天气怎么样' }], gold: { intent: '查询天气', slots: [{ name: '时间', value: '周五' }, { name: '城市', value: '南京' }] } },
        { id: 'xd2', turns: [{ speaker: 'user' as const, text: '订下周三从广州到重庆的机票' }], gold: { intent: '订机票', slots: [{ name: '时间', value: '下周三' }, { name: '出发地', value: '广州' }, { name: '目的地', value: '重庆' }] } },
      ],
      media: [],
    },
  ];
}

export function demoExercises(): { practice: DemoExercise[]; exam: DemoExercise[] } {
  return { practice: practice(), exam: examOnly() };
}

/** The dataset file of an exercise as the import reads it (JSONL: the item fields, `id` and `gold`). */
export function datasetJsonl(e: DemoExercise): Buffer {
  return Buffer.from(e.items.map((i) => JSON.stringify(i)).join('\n') + '\n');
}
