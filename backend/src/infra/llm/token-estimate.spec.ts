import { DEFAULT_COMPLETION_RESERVE, estimateRequestTokens, estimateTokens } from './token-estimate';

describe('estimateTokens', () => {
  it.each([
    ['', 0],
    ['abcd', 1],
    ['Hello, world!', 4],
    ['评分标准', 4],
    ['请用 JSON 回答', 6], // 4 Han + " JSON " (6 chars -> 2)
  ])('%j is about %i tokens', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });
});

describe('estimateRequestTokens', () => {
  it('adds message framing and the answer budget', () => {
    const body = JSON.stringify({ messages: [{ role: 'system', content: 'abcd' }, { role: 'user', content: '满分' }], max_tokens: 50 });
    expect(estimateRequestTokens(body)).toBe(4 + 1 + 4 + 2 + 50);
  });

  it('reserves the default answer budget without max_tokens, and copes with a body it cannot read', () => {
    expect(estimateRequestTokens(JSON.stringify({ messages: [] }))).toBe(DEFAULT_COMPLETION_RESERVE);
    expect(estimateRequestTokens('x'.repeat(40))).toBe(10 + DEFAULT_COMPLETION_RESERVE);
    expect(estimateRequestTokens(undefined)).toBe(DEFAULT_COMPLETION_RESERVE);
  });
});
