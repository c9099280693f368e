/**
 * The CLI's report (remark-cli's layout: a file's name, then a row per problem) as one line per
 * problem, `file:line:col: severity reason [rule-id]`, with the other place involved on the next
 * line: so a test can match a whole message with its file, place and rule in one pattern.
 */
export function reportLines(stderr: string): string {
  let file = ''
  return stderr
    .split('\n')
    .map((line) => {
      const row = /^(\d+:\d+)(?:-\d+:\d+)? +(error|warning) +(.*?) +([a-z0-9-]+) +cheatdeck$/.exec(line)
      if (row) return `${file}:${row[1]}: ${row[2]} ${row[3]} [${row[4]}]`
      const cause = /^ {4}(\S+?:\d+:\d+)(?:-\d+:\d+)? +info +(.*?) +([a-z0-9-]+) +cheatdeck$/.exec(line)
      if (cause) return `  ${cause[1]}: ${cause[2]}`
      if (line === '  [cause]:') return undefined
      if (/^[^\s✖⚠\d]/.test(line)) file = line
      return line
    })
    .filter((line) => line !== undefined)
    .join('\n')
}
