import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { FieldProblem } from '@aitrainer/contracts';
import { DomainError } from '../errors/domain-error';
import { IsAcceptablePassword, IsIdNumberFor } from './identity-validators';
import { createValidationPipe, jsonFormField } from './validation.pipe';

class Dto {
  @IsString() @MinLength(1) @MaxLength(5) name!: string;
  @IsOptional() @IsInt() @Min(1) @Max(10) count?: number;
  @IsOptional() @IsIn(['a', 'b']) kind?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(2) tags?: string[];
  @IsOptional() @IsString() @Matches(/^\d+$/, { message: 'must be a phone number', context: { problem: 'NOT_A_PHONE' } }) phone?: string;
  @IsOptional() @IsString() idDocumentType?: string;
  @IsOptional() @IsString() @IsIdNumberFor('idDocumentType') idNumber?: string;
  @IsOptional() @IsAcceptablePassword() password?: string;
}

async function problems(body: unknown): Promise<FieldProblem[]> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: Dto });
  } catch (e) {
    if (e instanceof DomainError) return e.fields ?? [];
    throw e;
  }
  throw new Error('expected a validation failure');
}

const coded = (fields: FieldProblem[]) => fields.map(({ field, code, params }) => ({ field, code, ...(params && { params }) }));

describe('class-validator failures carry a code by constraint', () => {
  it('maps lengths, numbers, lists, enums and unknown fields to codes with their params', async () => {
    const fields = await problems({ name: 'toolong', count: 11, kind: 'c', tags: ['x', 'y', 'z'], extra: 1 });
    expect(coded(fields)).toEqual(
      expect.arrayContaining([
        { field: 'name', code: 'TOO_LONG', params: { max: 5 } },
        { field: 'count', code: 'TOO_LARGE', params: { max: 10 } },
        { field: 'kind', code: 'MUST_BE_ONE_OF', params: { allowed: 'a, b' } },
        { field: 'tags', code: 'TOO_MANY', params: { max: 2 } },
        { field: 'extra', code: 'UNKNOWN_FIELD' },
      ]),
    );
    expect(fields.every((f) => typeof f.problem === 'string' && f.problem.length > 0)).toBe(true);
  });

  it('an empty required text is REQUIRED, a fraction NOT_AN_INTEGER, a count below the minimum TOO_SMALL', async () => {
    expect(coded(await problems({ name: '', count: 0.5 }))).toEqual(
      expect.arrayContaining([
        { field: 'name', code: 'REQUIRED' },
        { field: 'count', code: 'NOT_AN_INTEGER' },
        { field: 'count', code: 'TOO_SMALL', params: { min: 1 } },
      ]),
    );
  });

  it("a decorator's context names the code of its custom message; identity validators send their own codes", async () => {
    const fields = await problems({ name: 'ok', phone: 'abc', idDocumentType: 'resident_id', idNumber: '110101199003074510', password: 'short' });
    expect(coded(fields)).toEqual([
      { field: 'phone', code: 'NOT_A_PHONE' },
      { field: 'idNumber', code: 'ID_CHECK_CHARACTER' },
      { field: 'password', code: 'TOO_SHORT', params: { min: 8 } },
    ]);
    expect(fields.find((f) => f.field === 'phone')?.problem).toBe('must be a phone number');
  });

  it('a JSON form field is checked the same way, its properties under its name', () => {
    expect(() => jsonFormField('meta', '{"name": "toolong"}', Dto)).toThrow(DomainError);
    try {
      jsonFormField('meta', '{"name": "toolong"}', Dto);
    } catch (e) {
      expect(coded((e as DomainError).fields ?? [])).toEqual([{ field: 'meta.name', code: 'TOO_LONG', params: { max: 5 } }]);
    }
    expect(() => jsonFormField('meta', 'nope', Dto)).toThrow(expect.objectContaining({ fields: [expect.objectContaining({ field: 'meta', code: 'NOT_JSON' })] }));
  });
});
