/**
 * The shared validators in @aitrainer/domain (and the server, which uses them) explain problems
 * in English. These patterns give the Chinese wording; an unknown reason is shown unchanged.
 */
const ZH_REASONS: ReadonlyArray<readonly [RegExp, (match: RegExpMatchArray) => string]> = [
  [/^must be 18 characters: 17 digits and a final digit or X$/i, () => '应为 18 位：前 17 位为数字，最后一位为数字或 X'],
  [/^must be 18 characters$/i, () => '应为 18 位'],
  [/^area code is not valid$/i, () => '地区码无效'],
  [/^area code \(positions 3-8\) must be digits$/i, () => '第 3–8 位（登记管理机关行政区划码）应为数字'],
  [/^birth date is not a real date$/i, () => '出生日期不是有效日期'],
  [/^birth date is in the future$/i, () => '出生日期晚于今天'],
  [/^check character does not match \(GB 11643\)$/i, () => '校验位不正确（GB 11643），请核对号码'],
  [/^check character does not match \(GB 32100\)$/i, () => '校验位不正确（GB 32100），请核对代码'],
  [/^contains "(.+)", which is not allowed/i, (m) => `含有不允许的字符“${m[1]}”（不使用 I、O、S、V、Z）`],
  [/residence permit number starts with 810000, 820000 or 830000$/i, () => '港澳台居民居住证号码应以 810000、820000 或 830000 开头'],
  [/^must be H or M followed by 8 or 10 digits$/i, () => '应为字母 H 或 M 加 8 位或 10 位数字'],
  [/^must be 8 or 10 digits$/i, () => '应为 8 位或 10 位数字'],
  [/^must be 5 to 20 letters or digits$/i, () => '应为 5–20 位字母或数字'],
  [/^must be 15 characters \(3 letters, 12 digits\) or 18 starting with 9$/i, () => '应为 15 位（3 个字母加 12 位数字）或以 9 开头的 18 位'],
  [/^unknown ID document type$/i, () => '未知的证件类型'],
  [/^must be at least (\d+) characters$/i, (m) => `至少 ${m[1]} 个字符`],
  [/^must be at most (\d+) characters$/i, (m) => `最多 ${m[1]} 个字符`],
  [/^must contain at least one letter and one digit$/i, () => '至少包含一个字母和一个数字'],
  [/^must not contain the username$/i, () => '不能包含用户名'],
  [/^must be longer than or equal to 1 characters?$/i, () => '不能为空'],
  [/^must be longer than or equal to (\d+) characters$/i, (m) => `至少 ${m[1]} 个字符`],
  [/^must be shorter than or equal to (\d+) characters$/i, (m) => `最多 ${m[1]} 个字符`],
  [/^is required$|^should not be empty$|must not be empty/i, () => '不能为空'],
  [/already taken|already exists/i, () => '已被占用'],
  [/^is in (.+), which cannot be read without guessing/i, (m) => `的编码是 ${m[1]}，无法可靠读取；请另存为 UTF-8（或 GB18030/GBK、带 BOM 的 UTF-16）后重新上传`],
  [/^holds the replacement character U\+FFFD/i, () => '含有替换字符 U+FFFD：文件已按错误的编码读取过，请上传原始文件'],
  [/^contains no questions$/i, () => '文件中没有题目'],
  [/^is not your current password$/i, () => '与当前密码不符'],
];

/** The server prefixes the validator's reason: "is not a valid resident_id number: <reason>". */
const WRAPPED = /^is not a valid [\w ]+?: (.+)$/i;

export function translateReason(reason: string): string {
  const wrapped = reason.match(WRAPPED);
  if (wrapped) return `格式不正确：${translateReason(wrapped[1])}`;
  for (const [pattern, render] of ZH_REASONS) {
    const match = reason.match(pattern);
    if (match) return render(match);
  }
  return reason;
}
