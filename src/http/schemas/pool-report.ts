import { Type, type Static, type TSchema } from 'typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const PoolReportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'ISO 8601 with a zone; default: 24 hours before `to`' })),
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'ISO 8601 with a zone; default: now. At most 31 days after `from`' })),
  },
  { additionalProperties: false },
);
export type PoolReportQuery = Static<typeof PoolReportQuery>;

export const PoolReportSchema = Type.Object({
  site_id: Type.Integer(),
  from: DateTime,
  to: DateTime,
  pool: Type.Object({
    id: Nullable(Type.Integer({ description: 'null: the site has no pool' })),
    size: Type.Integer({ description: "the pool's numbers today" }),
    hold_time_s: Type.Integer(),
  }),
  utilisation: Type.Object({
    bucket_s: Type.Literal(60),
    peak_holds: Type.Integer({ description: 'the most holds in use at once over the range' }),
    peak_at: Nullable(DateTime),
    peak_utilisation: Nullable(Type.Number()),
    buckets: Type.Array(
      Type.Object({
        at: DateTime,
        holds: Type.Integer({ description: 'the most pool numbers held at once during the minute' }),
        utilisation: Nullable(Type.Number({ description: 'holds / pool size; null for a pool with no numbers' })),
      }),
    ),
  }),
  high_utilisation: Type.Object({
    threshold: Type.Number(),
    min_minutes: Type.Integer(),
    windows: Type.Array(
      Type.Object({ from: DateTime, to: DateTime, minutes: Type.Integer(), peak_holds: Type.Integer() }),
      { description: 'runs of minutes with utilisation above the threshold lasting at least min_minutes' },
    ),
  }),
  exhaustion: Type.Object({
    events: Type.Integer({ description: 'pool_exhausted events: a visitor got the fallback number because every pool number was held' }),
    events_by_hour: Type.Array(Type.Object({ hour: DateTime, events: Type.Integer() })),
    fallback_sessions: Type.Object({
      total: Type.Integer(),
      by_reason: Type.Record(Type.String(), Type.Integer(), { description: 'pool_exhausted, bot, no_pool, …' }),
    }),
  }),
  busiest_hour: Nullable(
    Type.Object(
      {
        from: DateTime,
        to: DateTime,
        pool_sessions: Type.Integer(),
        turned_away: Type.Integer({ description: 'visitors given the fallback number because the pool was exhausted' }),
        arrivals_per_hour: Type.Integer({ description: 'λ: pool_sessions + turned_away' }),
        mean_hold_s: Type.Number({ description: 'W: the mean hold of the pool sessions that started in the hour' }),
        offered_load: Type.Number({ description: 'λ·W: the mean number of holds in use' }),
      },
      { description: 'the clock hour with the highest offered load λ·W; null when no visitor came' },
    ),
  ),
  sizing: Type.Object({
    offered_load: Type.Number(),
    current_size: Type.Integer(),
    recommended_size: Type.Integer({ description: 'the smallest N with P(Poisson(λ·W) > N) ≤ target' }),
    exhaustion_probability: Type.Number({ description: 'P(Poisson(λ·W) > current size)' }),
    target: Type.Number(),
  }),
  warnings: Type.Array(
    Type.Object({ code: Type.Enum(['HIGH_UTILISATION', 'POOL_EXHAUSTED', 'POOL_TOO_SMALL', 'NO_POOL']), message: Type.String() }),
  ),
});
