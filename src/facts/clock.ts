/** The build's clock: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now. */

/** A setting from the environment that cannot be used: a usage error (exit 2), not a content one. */
export class SettingError extends Error {}

/** Whole unix seconds up to this (year 5138); more digits are milliseconds, not seconds. */
export const MAX_SECONDS = 99_999_999_999

/** The UTC day of a unix time, `YYYY-MM-DD` (the sheet's build date, a note's source date). */
export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10)
}

export function currentTime(env: NodeJS.ProcessEnv = process.env): number {
  const epoch = env['SOURCE_DATE_EPOCH']
  if (epoch === undefined || epoch === '') return Math.floor(Date.now() / 1000)
  if (!/^\d+$/.test(epoch) || Number(epoch) > MAX_SECONDS) {
    const shown = JSON.stringify(epoch.length > 30 ? `${epoch.slice(0, 30)}…` : epoch)
    const hint = /^\d{12,}$/.test(epoch) ? ' (this looks like milliseconds)' : ''
    throw new SettingError(`unexpected SOURCE_DATE_EPOCH ${shown}${hint}, expected unix seconds: a whole number from 0 to ${MAX_SECONDS}`)
  }
  // Anki refuses a whole package with a note or card id later than tomorrow, and ids come from
  // this clock: a build time in the future is a mistake, not a reproducible build.
  const wall = Math.floor(Date.now() / 1000)
  if (Number(epoch) > wall + 86_400) {
    throw new SettingError(`unexpected SOURCE_DATE_EPOCH ${epoch}, more than a day after now (${wall}), expected the time of the last change to the notes (Anki refuses notes added in the future)`)
  }
  return Number(epoch)
}
