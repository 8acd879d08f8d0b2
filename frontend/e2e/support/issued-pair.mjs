// A certificate pair for demo.student through the API (issuer settings, first key, a passed and published exam).
import assert from 'node:assert/strict';
import { PASSWORD } from './portal-harness.mjs';

const tags = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };

/** A level-4 theory exam that demo.student passes; publishing the result issues the certificate pair. */
export async function issuedPair(api, login) {
  const instructor = await login('demo.instructor');
  const admin = await login('demo.org');
  const studentLogin = await api(null, 'POST', '/auth/login', { username: 'demo.student', password: PASSWORD });
  const student = studentLogin.accessToken;
  // Issuer settings and the first signing key, through the API.
  await api(admin, 'PUT', '/certificates/issuer-settings', { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' });
  const { kid } = await api(admin, 'POST', '/certificates/signing-keys/rotate');
  assert.ok(kid);
  for (let i = 1; i <= 3; i++) {
    await api(instructor, 'POST', '/question-bank/questions', { type: 'true_false', content: { stem: `判断题 ${i}：标注前应阅读标注规范。`, answer: true }, tags });
  }
  const exam = await api(instructor, 'POST', '/exams', {
    title: 'E2E 证书考试',
    level: 4,
    parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }],
    blueprint: [{ part: 'theory', type: 'true_false', count: 3, points: 1 }],
    eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
  });
  await api(instructor, 'POST', `/exams/${exam.id}/publish`);
  const session = await api(admin, 'POST', '/exam-sessions', { examId: exam.id, venue: '考点 证书', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
  const reg = await api(admin, 'POST', `/exam-sessions/${session.id}/registrations`, { userId: studentLogin.user.id });
  const attempt = await api(student, 'POST', `/exam-registrations/${reg.id}/attempts`, { part: 'theory' });
  let seq = 0;
  for (const q of attempt.questions) await api(student, 'PUT', `/attempts/${attempt.id}/answers/${q.questionId}`, { seq: ++seq, value: true });
  await api(student, 'POST', `/attempts/${attempt.id}/submit`);
  // Submitting is acknowledged at once; a worker scores the paper. Publish once the result is provisional.
  const deadline = Date.now() + 60_000;
  while ((await api(admin, 'GET', `/exam-registrations/${reg.id}/result`).catch(() => ({}))).status !== 'provisional') {
    assert.ok(Date.now() < deadline, 'the submitted attempt was scored within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  const published = await api(admin, 'POST', `/exam-sessions/${session.id}/results/publish`);
  assert.equal(published.published, 1);
  // Batch issuance afterwards finds the pair already there (exactly once per result).
  const batch = await api(admin, 'POST', `/certificates/sessions/${session.id}/issue`);
  assert.deepEqual({ passed: batch.passed, issued: batch.issued, existing: batch.existing }, { passed: 1, issued: 0, existing: 1 });
  // No route lists certificates: in this fresh database the pair has record ids 1 and 2.
  const certs = [await api(admin, 'GET', '/certificates/1'), await api(admin, 'GET', '/certificates/2')];
  const skill = certs.find((c) => c.kind === 'skill_level');
  const enterprise = certs.find((c) => c.kind === 'enterprise');
  assert.ok(skill && enterprise, 'the pair was issued');
  assert.equal(skill.twinNumber, enterprise.number);
  return { skill, enterprise, holderName: studentLogin.user.realName, admin };
}

