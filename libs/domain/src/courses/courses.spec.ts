import {
  courseProgress,
  creditedSeconds,
  eligibility,
  formatHours,
  hoursPercent,
  isLessonComplete,
  minimumLessonSeconds,
  requiredTrainingMinutes,
  trainingMinutesDone,
  type ExamEligibilityRequirements,
} from '../index';

describe('training hours (学时)', () => {
  it.each([
    [5, undefined, 3600],
    [4, undefined, 3000],
    [3, undefined, 2400],
    [2, undefined, 2400],
    [1, undefined, 1800],
    [5, 72, 4320],
    [4, 0.5, 30],
    [3, 0, 0],
    [5, null, 3600],
  ] as const)('level %s with course setting %s requires %s minutes', (level, hours, minutes) => {
    expect(requiredTrainingMinutes(level, hours)).toBe(minutes);
  });

  it('refuses negative hours', () => {
    expect(() => requiredTrainingMinutes(5, -1)).toThrow(RangeError);
  });

  it('counts the estimated duration of completed lessons only, each lesson once', () => {
    expect(
      trainingMinutesDone([
        { key: 'a', durationMinutes: 45, completed: true },
        { key: 'b', durationMinutes: 30, completed: false },
        { key: 'c', durationMinutes: 90, completed: true },
        { key: 'a', durationMinutes: 45, completed: true },
      ]),
    ).toBe(135);
    expect(trainingMinutesDone([])).toBe(0);
  });

  it.each([
    [0, 3600, 0],
    [1799, 3600, 49],
    [1800, 3600, 50],
    [4000, 3600, 100],
    [10, 0, 100],
  ])('%s of %s minutes is %s %%', (done, required, percent) => {
    expect(hoursPercent(done, required)).toBe(percent);
  });

  it('formats hours with one decimal', () => {
    expect(formatHours(750)).toBe('12.5');
    expect(formatHours(3600)).toBe('60');
    expect(formatHours(20)).toBe('0.3');
  });
});

describe('lesson completion', () => {
  const t0 = new Date('2026-03-01T08:00:00Z');
  const later = (s: number) => new Date(t0.getTime() + s * 1000);

  it.each([
    [10, 50, 300],
    [10, 0, 0],
    [10, 100, 600],
    [1, 10, 6],
    [0, 50, 0],
    [10, 150, 600],
  ])('a %s-minute lesson at %s %% needs %s seconds', (minutes, percent, seconds) => {
    expect(minimumLessonSeconds(minutes, percent)).toBe(seconds);
  });

  it('credits server time between heartbeats, capped, and nothing for the first or a clock going back', () => {
    expect(creditedSeconds(null, t0)).toBe(0);
    expect(creditedSeconds(t0, later(15))).toBe(15);
    expect(creditedSeconds(t0, later(3600))).toBe(30);
    expect(creditedSeconds(t0, later(-5))).toBe(0);
  });

  it.each([
    [{ secondsSpent: 300, reachedEnd: true, minimumSeconds: 300 }, true],
    [{ secondsSpent: 299, reachedEnd: true, minimumSeconds: 300 }, false],
    [{ secondsSpent: 9999, reachedEnd: false, minimumSeconds: 300 }, false],
    [{ secondsSpent: 0, reachedEnd: true, minimumSeconds: 0 }, true],
  ])('%j complete: %s', (input, expected) => {
    expect(isLessonComplete(input)).toBe(expected);
  });
});

describe('courseProgress', () => {
  const course = {
    targetLevel: 5 as const,
    requiredHours: null,
    modules: [
      { key: 'm1', lessons: [{ key: 'l1', durationMinutes: 60 }, { key: 'l2', durationMinutes: 30 }] },
      { key: 'm2', lessons: [{ key: 'l3', durationMinutes: 90 }] },
    ],
  };
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));

  it('starts at nothing done and continues with the first lesson', () => {
    const p = courseProgress(course, []);
    expect(p).toMatchObject({ completedLessons: 0, totalLessons: 3, doneMinutes: 0, requiredMinutes: 3600, percent: 0, continueLessonKey: 'l1' });
    expect(p.modules).toEqual([
      { key: 'm1', completedLessons: 0, totalLessons: 2 },
      { key: 'm2', completedLessons: 0, totalLessons: 1 },
    ]);
  });

  it('continues with the lesson last opened when it is unfinished', () => {
    const p = courseProgress(course, [
      { lessonKey: 'l1', completed: true, lastSeenAt: at(1) },
      { lessonKey: 'l3', completed: false, lastSeenAt: at(5) },
    ]);
    expect(p.continueLessonKey).toBe('l3');
    expect(p.doneMinutes).toBe(60);
    expect(p.modules[0]).toEqual({ key: 'm1', completedLessons: 1, totalLessons: 2 });
  });

  it('continues with the first unfinished lesson when the last opened one is done', () => {
    const p = courseProgress(course, [{ lessonKey: 'l3', completed: true, lastSeenAt: at(5) }]);
    expect(p.continueLessonKey).toBe('l1');
  });

  it('ignores activity on lessons no longer in the version (progress after a republish)', () => {
    const p = courseProgress(course, [
      { lessonKey: 'gone', completed: true, lastSeenAt: at(9) },
      { lessonKey: 'l2', completed: true, lastSeenAt: at(2) },
    ]);
    expect(p).toMatchObject({ completedLessons: 1, doneMinutes: 30, continueLessonKey: 'l1' });
  });

  it('has nothing to continue once everything is done, and uses the course’s own hours', () => {
    const done = ['l1', 'l2', 'l3'].map((k) => ({ lessonKey: k, completed: true, lastSeenAt: at(1) }));
    const p = courseProgress({ ...course, requiredHours: 3 }, done);
    expect(p).toMatchObject({ completedLessons: 3, doneMinutes: 180, requiredMinutes: 180, percent: 100, continueLessonKey: null });
  });
});

describe('eligibility(student, exam)', () => {
  const exam: ExamEligibilityRequirements = { level: 4, requiredCourseIds: [1] };
  const finished = { courseId: 1, completedLessons: 12, totalLessons: 12, trainingMinutes: 3000 };

  it('admits a student who completed the course with the level’s hours', () => {
    expect(eligibility({ courses: [finished] }, exam)).toEqual({ eligible: true, reasons: [] });
  });

  it.each([
    ['not enrolled', { courses: [] }, exam, [{ code: 'COURSE_NOT_ENROLLED', courseId: 1 }, { code: 'TRAINING_HOURS_SHORT', requiredMinutes: 3000, doneMinutes: 0 }]],
    [
      'course unfinished',
      { courses: [{ ...finished, completedLessons: 11 }] },
      exam,
      [{ code: 'COURSE_NOT_COMPLETED', courseId: 1, completedLessons: 11, totalLessons: 12 }],
    ],
    ['hours short', { courses: [{ ...finished, trainingMinutes: 2999 }] }, exam, [{ code: 'TRAINING_HOURS_SHORT', requiredMinutes: 3000, doneMinutes: 2999 }]],
    [
      'an empty course never counts as complete',
      { courses: [{ courseId: 1, completedLessons: 0, totalLessons: 0, trainingMinutes: 0 }] },
      { ...exam, minTrainingHours: 0 },
      [{ code: 'COURSE_NOT_COMPLETED', courseId: 1, completedLessons: 0, totalLessons: 0 }],
    ],
    [
      'hours of other courses do not count towards required courses',
      { courses: [{ ...finished, trainingMinutes: 1000 }, { courseId: 2, completedLessons: 1, totalLessons: 1, trainingMinutes: 5000 }] },
      exam,
      [{ code: 'TRAINING_HOURS_SHORT', requiredMinutes: 3000, doneMinutes: 1000 }],
    ],
  ] as const)('refuses when %s, with the reasons', (_name, student, requirements, reasons) => {
    expect(eligibility(student, requirements)).toEqual({ eligible: false, reasons });
  });

  it('sums hours over every course when no course is required, and honours the exam’s own hours', () => {
    const student = { courses: [{ courseId: 7, completedLessons: 1, totalLessons: 3, trainingMinutes: 1200 }, { courseId: 8, completedLessons: 2, totalLessons: 2, trainingMinutes: 600 }] };
    expect(eligibility(student, { level: 1, requiredCourseIds: [] }).eligible).toBe(true);
    expect(eligibility(student, { level: 5, requiredCourseIds: [] }).reasons).toEqual([{ code: 'TRAINING_HOURS_SHORT', requiredMinutes: 3600, doneMinutes: 1800 }]);
    expect(eligibility(student, { level: 5, requiredCourseIds: [], minTrainingHours: 30 }).eligible).toBe(true);
    expect(eligibility(student, { level: 5, requiredCourseIds: [], minTrainingHours: 0 }).eligible).toBe(true);
  });
});
