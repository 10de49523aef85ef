// Employees as CSV: GET /api/v1/employees/export.csv and
// POST /api/v1/employees/import, which creates each row through
// POST /api/v1/employees with the caller's own credentials (same checks, same
// audit log), and reports per row what was created or refused and why.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Type } from 'typebox';
import { columnOf, EMPLOYEE_CSV_COLUMNS, employeeToRow, headerProblems, rowToEmployee } from '../../../console/employee-csv.ts';
import { AppError } from '../../../errors.ts';
import type { AppDeps } from '../../app.ts';
import { errorResponses } from '../../schemas/common.ts';

const MAX_ROWS = 1000;

const ImportBody = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: 500_000, description: `a header row (${EMPLOYEE_CSV_COLUMNS.join(', ')}), then one employee a row` }) },
  { additionalProperties: false },
);
const ImportResult = Type.Object({
  created: Type.Integer({ description: 'how many employees were created' }),
  rejected: Type.Integer({ description: 'how many rows were refused' }),
  rows: Type.Array(
    Type.Object({
      line: Type.Integer({ description: 'line of the CSV (the header is line 1)' }),
      status: Type.Union([Type.Literal('created'), Type.Literal('rejected')], { description: 'created, or rejected with the errors' }),
      id: Type.Optional(Type.Integer({ description: 'the new employee, when created' })),
      email: Type.Union([Type.String(), Type.Null()], { description: "the row's email, to tell the rows apart; null when the row has none" }),
      errors: Type.Optional(
        Type.Array(
          Type.Object({
            column: Type.String({ description: 'the CSV column at fault, or "row" when the fault is the row as a whole' }),
            message: Type.String({ description: 'what is wrong with it' }),
          }),
          { description: 'why the row was rejected, when it was' },
        ),
      ),
    }),
    { description: 'what became of each data row, in the order of the CSV' },
  ),
});

export async function employeeCsvRoutes(fastify: FastifyInstance, _opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['employees'];

  app.get('/export.csv', {
    schema: {
      tags,
      summary: 'Every employee as CSV (SIP accounts left out)',
      description: `A download (ringpath-employees.csv) with the columns ${EMPLOYEE_CSV_COLUMNS.join(', ')}, the format POST /api/v1/employees/import reads. Destinations that are SIP accounts are left out, as their passwords cannot be exported.`,
    },
  }, async (req, reply) => {
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (req.headers.cookie) headers.cookie = req.headers.cookie;
    const rows: string[][] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await app.inject({ method: 'GET', url: `/api/v1/employees?limit=200&offset=${offset}`, headers });
      const items = page.json().items as Parameters<typeof employeeToRow>[0][];
      rows.push(...items.map(employeeToRow));
      if (items.length < 200) break;
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="ringpath-employees.csv"')
      .send(stringify([[...EMPLOYEE_CSV_COLUMNS], ...rows]));
  });

  app.post(
    '/import',
    {
      schema: {
        tags,
        summary: 'Create employees from CSV; each row is created or refused on its own',
        description: `The CSV has a header row with the columns of GET /api/v1/employees/export.csv, then one employee a row, ${MAX_ROWS} rows at most. Each row is created as POST /api/v1/employees would create it, or rejected with its errors; one bad row does not stop the others. A CSV that cannot be read, a wrong header or too many rows is refused as a whole (400 VALIDATION_FAILED).`,
        body: ImportBody,
        response: { 200: ImportResult, ...errorResponses },
      },
    },
    async (req) => {
      let records: string[][];
      try {
        records = parse(req.body.csv, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
      } catch (err) {
        throw AppError.field('VALIDATION_FAILED', '/csv', `is not CSV: ${(err as Error).message}`);
      }
      const [header, ...data] = records;
      if (!header) throw AppError.field('VALIDATION_FAILED', '/csv', 'has no header row');
      const bad = headerProblems(header);
      if (bad.length) throw AppError.field('VALIDATION_FAILED', '/csv', `header: ${bad.join('; ')}`);
      if (data.length > MAX_ROWS) throw AppError.field('VALIDATION_FAILED', '/csv', `has ${data.length} rows; import at most ${MAX_ROWS} at a time`);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const h of ['authorization', 'cookie', 'x-csrf-token'] as const) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      const emailAt = header.findIndex((h) => h.trim().toLowerCase() === 'email');
      const rows = [];
      for (const [i, cells] of data.entries()) {
        const line = i + 2;
        const email = cells[emailAt]?.trim() || null;
        const read = rowToEmployee(header, cells);
        if ('errors' in read) {
          rows.push({ line, status: 'rejected' as const, email, errors: read.errors.map((e) => ({ column: e.field, message: e.message })) });
          continue;
        }
        const res = await app.inject({ method: 'POST', url: '/api/v1/employees', headers, payload: read.body });
        if (res.statusCode === 201) {
          rows.push({ line, status: 'created' as const, id: res.json().id as number, email });
          continue;
        }
        const problem = res.json() as { detail: string; errors?: Array<{ field: string; message: string }> };
        const phones = ((read.body.main_destinations as Array<{ type: string }> | undefined) ?? []).filter((d) => d.type === 'phone').length;
        const errors = problem.errors?.length
          ? problem.errors.map((e) => ({ column: columnOf(e.field, phones), message: e.message }))
          : [{ column: 'row', message: problem.detail }];
        rows.push({ line, status: 'rejected' as const, email, errors });
      }
      const created = rows.filter((r) => r.status === 'created').length;
      return { created, rejected: rows.length - created, rows };
    },
  );
}
