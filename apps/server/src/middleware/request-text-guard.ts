import type { MiddlewareHandler } from 'hono';
import { errorBody } from '../errors/error-handler.ts';
import { fieldProblem } from '../routes/contacts/field-problem.ts';
import type { AppEnv } from '../services.ts';
import { isCleanText } from '../validation/text-characters.ts';
import type { FieldProblem } from '../validation/validation-hook.ts';

/** Problems listed in one answer at most: a body of ten thousand bad strings gets the first ones. */
const MAX_PROBLEMS = 20;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function isJsonRequest(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_TYPE.test(contentType);
}

/** Collects the paths of strings (and keys) that hold a character no field accepts. */
function collectBadText(value: unknown, path: string[], problems: FieldProblem[]): void {
  if (problems.length >= MAX_PROBLEMS) return;
  if (typeof value === 'string') {
    if (!isCleanText(value, { multiline: true }))
      problems.push(fieldProblem(path.join('.') || '(root)', 'validation.invalid_format'));
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collectBadText(item, [...path, String(index)], problems);
    });
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!isCleanText(key, { multiline: true })) {
        // The key itself cannot be shown back safely in a path: name its parent.
        problems.push(fieldProblem(path.join('.') || '(root)', 'validation.invalid_format'));
        continue;
      }
      collectBadText(item, [...path, key], problems);
    }
  }
}

/**
 * Refuses text no field accepts before any route reads it, so that no handler, query or log ever sees it:
 * a JSON body whose bytes are not UTF-8 (400 instead of being decoded with U+FFFD and stored), a body
 * that is not JSON, and a control character (NUL among them) or a lone surrogate in any string of a JSON
 * body or in a query parameter (400 with the field paths, like a schema failure). Line breaks and tabs
 * pass here; single-line fields refuse them in their schema (`textOf`).
 *
 * @example app.use('*', guardRequestText())
 */
export function guardRequestText(): MiddlewareHandler<AppEnv> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return async function guardRequestTextMiddleware(c, next) {
    const query: FieldProblem[] = [];
    for (const [name, value] of new URL(c.req.url).searchParams) {
      if (query.length >= MAX_PROBLEMS) break;
      if (!isCleanText(name, { multiline: true }) || !isCleanText(value, { multiline: true }))
        query.push(fieldProblem(isCleanText(name) ? name : '(query)', 'validation.invalid_format'));
    }
    if (query.length > 0) return refuse(c, 'query', query);

    if (c.req.raw.body && isJsonRequest(c.req.header('content-type'))) {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.length > 0) {
        let text: string;
        try {
          text = decoder.decode(bytes);
        } catch {
          return c.json(
            errorBody(c, 'bad-request', 'The request body is not UTF-8 text. Send JSON encoded as UTF-8.'),
            400,
          );
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return c.json(errorBody(c, 'bad-request', 'The request body is not valid JSON.'), 400);
        }
        const problems: FieldProblem[] = [];
        collectBadText(body, [], problems);
        if (problems.length > 0) return refuse(c, 'json', problems);
      }
    }
    await next();
  };
}

function refuse(c: Parameters<MiddlewareHandler<AppEnv>>[0], target: 'json' | 'query', fields: FieldProblem[]) {
  return c.json(
    errorBody(c, 'validation-failed', `Some fields need fixing: ${fields.map((f) => f.path).join(', ')}`, {
      details: { target, fields },
    }),
    400,
  );
}
