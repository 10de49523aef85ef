import { Type, type Static, type TSchema } from 'typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = (description: string) => Type.String({ format: 'date-time', description });

export const PoolReportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'ISO 8601 with a zone; default: 24 hours before `to`' })),
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'ISO 8601 with a zone; default: now. At most 31 days after `from`' })),
  },
  { additionalProperties: false },
);
export type PoolReportQuery = Static<typeof PoolReportQuery>;

export const PoolReportSchema = Type.Object({
  site_id: Type.Integer({ description: 'the site reported on' }),
  from: DateTime('start of the range'),
  to: DateTime('end of the range'),
  pool: Type.Object({
    id: Nullable(Type.Integer({ description: 'null: the site has no pool' })),
    size: Type.Integer({ description: "the pool's numbers today" }),
    hold_time_s: Type.Integer({ description: 'seconds a number stays held after the last heartbeat' }),
  }, { description: "the site's pool" }),
  utilisation: Type.Object({
    bucket_s: Type.Literal(60, { description: 'seconds per bucket: one minute' }),
    peak_holds: Type.Integer({ description: 'the most holds in use at once over the range' }),
    peak_at: Nullable(DateTime('the minute of the peak; null when nothing was held')),
    peak_utilisation: Nullable(Type.Number({ description: 'the peak holds / pool size; null for a pool with no numbers' })),
    buckets: Type.Array(
      Type.Object({
        at: DateTime('the start of the minute'),
        holds: Type.Integer({ description: 'the most pool numbers held at once during the minute' }),
        utilisation: Nullable(Type.Number({ description: 'holds / pool size; null for a pool with no numbers' })),
      }),
      { description: 'one per minute of the range' },
    ),
  }, { description: 'pool numbers held, minute by minute' }),
  high_utilisation: Type.Object({
    threshold: Type.Number({ description: 'the utilisation counted as high (0.75)' }),
    min_minutes: Type.Integer({ description: 'the shortest run reported, in minutes' }),
    windows: Type.Array(
      Type.Object({
        from: DateTime('start of the run'),
        to: DateTime('end of the run'),
        minutes: Type.Integer({ description: 'its length' }),
        peak_holds: Type.Integer({ description: 'the most holds in use at once during it' }),
      }),
      { description: 'runs of minutes with utilisation above the threshold lasting at least min_minutes' },
    ),
  }, { description: 'runs of minutes with a nearly full pool' }),
  exhaustion: Type.Object({
    events: Type.Integer({ description: 'pool_exhausted events: a visitor got the fallback number because every pool number was held' }),
    events_by_hour: Type.Array(
      Type.Object({ hour: DateTime('the start of the clock hour'), events: Type.Integer({ description: 'pool_exhausted events in it' }) }),
      { description: 'the events per clock hour, hours with none left out' },
    ),
    fallback_sessions: Type.Object({
      total: Type.Integer({ description: 'sessions given the fallback number' }),
      by_reason: Type.Record(Type.String(), Type.Integer(), { description: 'pool_exhausted, bot, no_pool, …' }),
    }, { description: 'visitor sessions given the fallback number, by reason' }),
  }, { description: 'visitors who found every pool number held' }),
  busiest_hour: Nullable(
    Type.Object(
      {
        from: DateTime('start of the hour'),
        to: DateTime('end of the hour'),
        pool_sessions: Type.Integer({ description: 'visitor sessions that got a pool number in the hour' }),
        turned_away: Type.Integer({ description: 'visitors given the fallback number because the pool was exhausted' }),
        arrivals_per_hour: Type.Integer({ description: 'λ: pool_sessions + turned_away' }),
        mean_hold_s: Type.Number({ description: 'W: the mean hold of the pool sessions that started in the hour' }),
        offered_load: Type.Number({ description: 'λ·W: the mean number of holds in use' }),
      },
      { description: 'the clock hour with the highest offered load λ·W; null when no visitor came' },
    ),
  ),
  sizing: Type.Object({
    offered_load: Type.Number({ description: 'λ·W of the busiest hour' }),
    current_size: Type.Integer({ description: "the pool's numbers today" }),
    recommended_size: Type.Integer({ description: 'the smallest N with P(Poisson(λ·W) > N) ≤ target' }),
    exhaustion_probability: Type.Number({ description: 'P(Poisson(λ·W) > current size)' }),
    target: Type.Number({ description: 'the exhaustion probability aimed at (0.01)' }),
  }, { description: 'how many numbers the pool needs' }),
  warnings: Type.Array(
    Type.Object({
      code: Type.Enum(['HIGH_UTILISATION', 'POOL_EXHAUSTED', 'POOL_TOO_SMALL', 'NO_POOL'], { description: 'stable machine-readable code' }),
      message: Type.String({ description: 'what it means, in a sentence' }),
    }),
    { description: 'what needs attention; empty when nothing does' },
  ),
});
