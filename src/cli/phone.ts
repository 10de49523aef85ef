import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { isSupportedCountry, normalizePhone } from '../phone/index.ts';
import type { CliIo } from './io.ts';

/** Lines printed by `ringpath phone normalize`: one per input, in order. */
export function normalizeLines(inputs: readonly string[], country: string): { lines: string[]; allValid: boolean } {
  let allValid = true;
  const lines = inputs.map((input) => {
    const r = normalizePhone(input, { defaultCountry: country });
    if (r.ok) return r.e164;
    allValid = false;
    return `error: ${r.message}`;
  });
  return { lines, allValid };
}

export function registerPhoneCommands(program: Command, io: CliIo): void {
  const phone = program.command('phone').description('phone number tools');
  phone
    .command('normalize')
    .description('print each INPUT as E.164, or "error: <reason>"; exits 1 when any input is invalid')
    .option('--country <CC>', 'default country for national numbers (ISO 3166-1 alpha-2); defaults to DEFAULT_COUNTRY')
    .argument('<input...>', 'phone numbers, SIP/tel URIs or From header values')
    .action((inputs: string[], opts: { country?: string }) => {
      const country = (opts.country ?? loadConfig(io.env).defaultCountry).toUpperCase();
      if (!isSupportedCountry(country)) {
        io.stderr.write(`ringpath: --country must be an ISO 3166-1 alpha-2 country code (got ${JSON.stringify(opts.country)})\n`);
        io.exitCode = 2;
        return;
      }
      const { lines, allValid } = normalizeLines(inputs, country);
      io.stdout.write(`${lines.join('\n')}\n`);
      io.exitCode = allValid ? 0 : 1;
    });
}
