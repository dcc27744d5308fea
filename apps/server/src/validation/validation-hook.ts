import { CATALOGS, type MessageKey } from '@affection/ui';
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorBody } from '../errors/error-handler.ts';
import type { AppEnv } from '../services.ts';

/** One field that needs fixing, with its message in both languages. */
export interface FieldProblem {
  /** Dotted path in the input, e.g. `windows.0.startTime`; `(query)`-style roots for whole-part problems. */
  path: string;
  /** Message key in the catalogs, e.g. `validation.required`. */
  key: string;
  message: { 'zh-CN': string; en: string };
}

function keyFor(issue: z.core.$ZodIssue): { key: MessageKey; params: Record<string, string> } {
  if (issue.message.startsWith('validation.') && issue.message in CATALOGS['zh-CN']) {
    return { key: issue.message as MessageKey, params: {} };
  }
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.includes('received undefined')
        ? { key: 'validation.required', params: {} }
        : { key: 'validation.invalid_type', params: {} };
    case 'too_small':
      return issue.origin === 'string'
        ? { key: 'validation.too_short', params: { min: String(issue.minimum) } }
        : { key: 'validation.too_small', params: { min: String(issue.minimum) } };
    case 'too_big':
      return issue.origin === 'string'
        ? { key: 'validation.too_long', params: { max: String(issue.maximum) } }
        : { key: 'validation.too_big', params: { max: String(issue.maximum) } };
    case 'invalid_value':
      return { key: 'validation.invalid_option', params: {} };
    case 'unrecognized_keys':
      return { key: 'validation.unknown_field', params: { fields: issue.keys.join(', ') } };
    case 'invalid_format':
      return { key: 'validation.invalid_format', params: {} };
    default:
      return { key: 'validation.invalid', params: {} };
  }
}

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}

/** Turns zod issues into per-field problems with zh-CN and en text. */
export function toFieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) => {
    const { key, params } = keyFor(issue);
    return {
      path: issue.path.map(String).join('.') || '(root)',
      key,
      message: { 'zh-CN': fill(CATALOGS['zh-CN'][key], params), en: fill(CATALOGS.en[key], params) },
    };
  });
}

/**
 * The OpenAPIHono default hook: a request that fails its schema gets 400 with every field that
 * needs fixing, in the one error body.
 */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError; target: string },
  c: Context<AppEnv>,
) {
  if (result.success) return;
  const fields = toFieldProblems(result.error.issues);
  return c.json(
    errorBody(c, 'validation-failed', `Some fields need fixing: ${fields.map((f) => f.path).join(', ')}`, {
      details: { target: result.target, fields },
    }),
    400,
  );
}
