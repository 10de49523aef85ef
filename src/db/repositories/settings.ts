// Settings: one jsonb value per key. loadSettings is how every part of ringpath
// (HTTP, SIP, CRM sync) reads them: typed, complete, with defaults for unset keys.
import { Value } from 'typebox/value';
import type { Queryable } from '../pool.ts';
import { SETTING_KEYS, SETTINGS_DEFAULTS, Settings, type SettingKey } from '../../http/schemas/settings.ts';

export type { Settings, SettingKey } from '../../http/schemas/settings.ts';
export { SETTINGS_DEFAULTS } from '../../http/schemas/settings.ts';

const isSettingKey = (key: string): key is SettingKey => (SETTING_KEYS as readonly string[]).includes(key);

/**
 * The complete settings. A key that is unset, or whose stored value no longer
 * fits its schema (written by another version), reads as its default.
 */
export async function loadSettings(db: Queryable): Promise<Settings> {
  const { rows } = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings WHERE key = ANY($1::text[])', [
    SETTING_KEYS,
  ]);
  const settings = structuredClone(SETTINGS_DEFAULTS);
  for (const { key, value } of rows) {
    if (isSettingKey(key) && Value.Check(Settings.properties[key], value)) Object.assign(settings, { [key]: value });
  }
  return settings;
}

export const settingsRepository = {
  load: loadSettings,

  /** Store the given keys, all or none (one statement). */
  async save(db: Queryable, values: Partial<Settings>): Promise<void> {
    const entries = Object.entries(values).filter(([key, value]) => isSettingKey(key) && value !== undefined);
    if (entries.length === 0) return;
    await db.query(
      `INSERT INTO settings (key, value) SELECT key, value FROM jsonb_each($1::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [JSON.stringify(Object.fromEntries(entries))],
    );
  },
};
