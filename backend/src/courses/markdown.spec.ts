import { renderLessonMarkdown } from './markdown';

describe('renderLessonMarkdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderLessonMarkdown('# 数据标注\n\n**重点**：[国家标准](https://example.org/std) 与 `IoU`');
    expect(html).toContain('<h1>数据标注</h1>');
    expect(html).toContain('<strong>重点</strong>');
    expect(html).toContain('<a href="https://example.org/std" target="_blank" rel="noopener noreferrer nofollow">国家标准</a>');
    expect(html).toContain('<code>IoU</code>');
  });

  it.each([
    ['<script>alert(1)</script>', '<script'],
    ['<img src=x onerror="alert(1)">', '<img'],
    ['<a href="#" onclick="steal()">x</a>', '<a href="#"'],
    ['[click](javascript:alert(1))', 'href="javascript'],
    ['[click](JaVaScRiPt:alert(1))', 'href="JaVaScRiPt'],
    ['[click](java\tscript:alert(1))', 'href="java'],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', 'href="data:'],
    ['![x](javascript:alert(1))', '<img'],
    ['[x](vbscript:msgbox(1))', 'href="vbscript'],
    ['<iframe src="https://evil.example"></iframe>', '<iframe'],
  ])('leaves %s inert', (input, forbidden) => {
    const html = renderLessonMarkdown(input);
    expect(html).not.toContain(forbidden);
    expect(html).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i);
  });

  it('keeps relative and mailto links', () => {
    expect(renderLessonMarkdown('[下一课](#next) [邮件](mailto:t@example.org)')).toContain('href="#next"');
    expect(renderLessonMarkdown('[邮件](mailto:t@example.org)')).toContain('href="mailto:t@example.org"');
  });
});
