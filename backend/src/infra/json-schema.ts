import { Injectable } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import { codedProblem, type CodedProblem } from '@aitrainer/contracts';

/** JSON Schema validation (draft-07 via Ajv) with compiled schemas cached by their text. */
@Injectable()
export class JsonSchemaValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly cache = new Map<string, ValidateFunction>();

  /** Problems as plain strings; empty when valid. A schema that does not compile is itself a problem. */
  validate(schema: Record<string, unknown>, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let fn = this.cache.get(key);
    if (!fn) {
      try {
        fn = this.ajv.compile(schema);
      } catch (e) {
        return [`the schema is invalid: ${(e as Error).message}`];
      }
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(key, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
  }

  /** Checks that a schema compiles, for task authoring. */
  compileProblem(schema: unknown): CodedProblem | null {
    if (typeof schema !== 'object' || schema === null) return codedProblem('JSON_SCHEMA_OBJECT');
    try {
      this.ajv.compile(schema as Record<string, unknown>);
      return null;
    } catch (e) {
      return codedProblem('JSON_SCHEMA_INVALID', { detail: (e as Error).message });
    }
  }
}
