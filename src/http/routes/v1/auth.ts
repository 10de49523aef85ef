// The console's login (SPEC §8): log in and out, who am I, change my password,
// and an admin setting an employee's console password.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callScope, mayWatchEveryMissedCall, type Principal } from '../../../auth/access.ts';
import { consolePasswordProblem, consoleUsers, loginLockout, type ConsoleUser } from '../../../auth/console-users.ts';
import { verifyPassword } from '../../../auth/password.ts';
import { AppError, notFound } from '../../../errors.ts';
import type { AppDeps } from '../../app.ts';
import { IdParams, ProblemSchema, errorResponses } from '../../schemas/common.ts';

const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320, description: "the employee's email, as on their employee record" }),
    password: Type.String({ minLength: 1, maxLength: 200, description: 'their console password' }),
  },
  { additionalProperties: false },
);
const PasswordChange = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: 200, description: 'the password you log in with now' }),
    new_password: Type.String({ maxLength: 1000, description: 'the new password: 12 characters or more, and not the current one' }),
  },
  { additionalProperties: false },
);
const PasswordSet = Type.Object(
  { password: Type.String({ maxLength: 1000, description: 'the console password to give the employee: 12 characters or more' }) },
  { additionalProperties: false },
);

export const Me = Type.Object({
  kind: Type.Union([Type.Literal('employee'), Type.Literal('api_key')], { description: 'employee for a console session, api_key for a request made with an API key' }),
  id: Type.Integer({ description: "the employee's id, or the API key's" }),
  email: Type.Union([Type.String(), Type.Null()], { description: "the employee's email; null for an API key" }),
  full_name: Type.String({ description: "the employee's full name, or the API key's name" }),
  access_level: Type.Union([Type.Literal('admin'), Type.Literal('analyst'), Type.Literal('employee')], {
    description: 'what they may do: admin changes settings; analyst reads the settings, reports and calls but changes nothing; employee sees only their own calls. An API key is admin',
  }),
  sales_role: Type.Union([Type.Literal('sales_rep'), Type.Literal('head'), Type.Literal('quality_control'), Type.Null()], {
    description: "the employee's sales role; null when they have none, and for an API key",
  }),
  must_change_password: Type.Boolean({ description: 'an admin set the password: nothing but logging out, GET /api/v1/auth/me and POST /api/v1/auth/password is allowed until they change it' }),
  calls_visible: Type.Union([Type.Literal('all'), Type.Literal('own')], { description: "every call, or only the employee's own clients'" }),
  may_watch_every_missed_call: Type.Boolean({ description: 'may turn on notify_every_missed_call in the live-view settings (a head)' }),
  csrf_token: Type.Union([Type.String(), Type.Null()], { description: 'send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE of the session' }),
});

function me(principal: Principal, user: ConsoleUser | undefined, csrf: string | null) {
  const base = {
    calls_visible: callScope(principal).all ? ('all' as const) : ('own' as const),
    may_watch_every_missed_call: mayWatchEveryMissedCall(principal),
    csrf_token: csrf,
  };
  if (principal.kind === 'api_key') {
    return { ...base, kind: 'api_key' as const, id: principal.id, email: null, full_name: principal.name, access_level: 'admin' as const, sales_role: null, must_change_password: false };
  }
  return {
    ...base,
    kind: 'employee' as const,
    id: principal.id,
    email: principal.email,
    full_name: user?.fullName ?? principal.email,
    access_level: principal.accessLevel,
    sales_role: principal.salesRole,
    must_change_password: principal.mustChangePassword,
  };
}

function newPassword(password: string, field: string): string {
  const bad = consolePasswordProblem(password);
  if (bad) throw AppError.field('VALIDATION_FAILED', field, bad);
  return password;
}

function lockedOut(reply: FastifyReply, seconds: number): never {
  reply.header('Retry-After', String(seconds));
  throw new AppError('LOCKED_OUT', `too many failed logins for this email; try again in ${Math.ceil(seconds / 60)} minute(s)`);
}

export async function authRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const lockout = loginLockout(pool, { limit: config.console.loginFailureLimit, lockoutS: config.console.lockoutS });
  const tags = ['console'];
  const responses = { ...errorResponses, 403: ProblemSchema, 429: ProblemSchema };

  app.post(
    '/login',
    {
      schema: {
        tags,
        summary: 'Log in to the console: sets the session cookie',
        description: `After ${config.console.loginFailureLimit} failed logins an email is locked for ${config.console.lockoutS} s (429 LOCKED_OUT with Retry-After).`,
        body: LoginBody,
        response: { 200: Me, ...responses },
      },
    },
    async (req, reply) => {
      const { email, password } = req.body;
      const lockedFor = await lockout.lockedForS(email);
      if (lockedFor > 0) lockedOut(reply, lockedFor);
      const user = await consoleUsers.check(pool, email, password);
      if (!user) {
        const nowLocked = await lockout.failed(email);
        req.log.warn({ email, ip: req.ip, locked: nowLocked > 0 }, 'console login failed');
        if (nowLocked > 0) lockedOut(reply, nowLocked);
        throw new AppError('LOGIN_FAILED', 'the email or the password is wrong');
      }
      await lockout.succeeded(email);
      // a new session id at login, so a planted cookie is worth nothing
      await req.session.regenerate();
      req.session.employeeId = user.principal.id;
      req.log.info({ employeeId: user.principal.id }, 'console login');
      return me(user.principal, user, reply.generateCsrf());
    },
  );

  app.post('/logout', {
    schema: {
      tags,
      summary: 'End the console session',
      description: 'Ends the session of the cookie, so it no longer signs anyone in, and its live event stream. With an API key there is no session and nothing happens; 204 either way.',
      response: { 204: Type.Null(), ...responses },
    },
  }, async (req, reply) => {
    if (req.principal?.kind === 'employee') await req.session.destroy();
    return reply.code(204).send(null);
  });

  app.get('/me', {
    schema: {
      tags,
      summary: 'Who is signed in, and the CSRF token of the session',
      description: 'The signed-in employee (or the API key of the request), what they may see and do, and the CSRF token to send with every change made in the session. The console calls it when it loads; 401 when nobody is signed in.',
      response: { 200: Me, ...responses },
    },
  }, async (req, reply) => {
    const principal = req.principal!;
    return me(principal, req.consoleUser, principal.kind === 'employee' ? reply.generateCsrf() : null);
  });

  app.post(
    '/password',
    {
      schema: {
        tags,
        summary: 'Change your own console password (12+ characters); ends your other sessions',
        description: 'Checks the current password first: a wrong one counts as a failed login, and enough of them end this session too (429 LOCKED_OUT). The new password must have 12 characters or more and differ from the current one. Your other sessions end; this one goes on. Not for an API key (403).',
        body: PasswordChange,
        response: { 204: Type.Null(), ...responses },
      },
    },
    async (req: FastifyRequest<{ Body: { current_password: string; new_password: string } }>, reply) => {
      const principal = req.principal!;
      if (principal.kind !== 'employee') throw new AppError('FORBIDDEN', 'an API key has no password to change');
      const hash = await consoleUsers.passwordHash(pool, principal.id);
      if (!hash || !(await verifyPassword(req.body.current_password, hash))) {
        const nowLocked = await lockout.failed(principal.email);
        if (nowLocked > 0) {
          await req.session.destroy();
          lockedOut(reply, nowLocked);
        }
        throw AppError.field('VALIDATION_FAILED', '/current_password', 'is not your current password');
      }
      const password = newPassword(req.body.new_password, '/new_password');
      if (password === req.body.current_password) throw AppError.field('VALIDATION_FAILED', '/new_password', 'must differ from the current password');
      await consoleUsers.setPassword(pool, principal.id, password, { mustChange: false, keepSessionId: req.session.sessionId });
      req.log.info({ employeeId: principal.id }, 'console password changed');
      return reply.code(204).send(null);
    },
  );
}

/** An admin gives an employee a console password; they change it at their first login. */
export async function consolePasswordRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool } = opts.deps;
  app.put(
    '/:id/console-password',
    {
      schema: {
        tags: ['employees'],
        summary: "Set an employee's console password (12+ characters); they must change it when they next log in",
        description: 'How an admin lets an employee into the console, or resets a password they forgot: once they log in with it they must choose their own (must_change_password) before doing anything else. 404 when the employee does not exist.',
        params: IdParams,
        body: PasswordSet,
        response: { 204: Type.Null(), ...errorResponses, 403: ProblemSchema },
      },
    },
    async (req, reply) => {
      const password = newPassword(req.body.password, '/password');
      if (!(await consoleUsers.setPassword(pool, req.params.id, password, { mustChange: true }))) throw notFound('employee', req.params.id);
      return reply.code(204).send(null);
    },
  );
}
