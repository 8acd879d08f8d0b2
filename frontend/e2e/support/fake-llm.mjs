// A tiny OpenAI-compatible server for browser journeys: POST /v1/chat/completions only.
// Judge calls (first message is a system message mentioning "examiner") get rubric JSON;
// every other call gets a label from `label(userText)`.
import { createServer } from 'node:http';

/**
 * @param {{ judgeScores: () => Record<string, number>, label: (text: string) => string }} script
 * @returns {Promise<{ baseUrl: string, calls: { judge: number, candidate: number }, close: () => Promise<void> }>}
 */
export async function startFakeLlm(script) {
  const calls = { judge: 0, candidate: 0 };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad json' } }));
        return;
      }
      const messages = Array.isArray(body.messages) ? body.messages : [];
      const first = messages[0] ?? {};
      const isJudge = first.role === 'system' && /examiner/i.test(String(first.content ?? ''));
      let content;
      if (isJudge) {
        calls.judge += 1;
        const criteria = Object.entries(script.judgeScores()).map(([id, score]) => ({
          id,
          score,
          evidence: '只输出“正面”或“负面”',
          rationale: '任务与输出格式都写清楚了',
        }));
        content = JSON.stringify({ criteria });
      } else {
        calls.candidate += 1;
        const text = messages.map((m) => String(m.content ?? '')).join('\n');
        content = script.label(text);
      }
      const promptTokens = Math.ceil(raw.length / 4);
      const completionTokens = Math.ceil(content.length / 4);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${Date.now()}-${calls.judge + calls.candidate}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model ?? 'fake',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
        }),
      );
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
