// The documented exit codes of `supaops`. Scripts and CI depend on them: never renumber.
export const EXIT_CODES = {
  /** Success. */
  ok: 0,
  /** The command ran, and what it checked failed (error findings, drift, a failed test). */
  failedChecks: 1,
  /** Bad flags or arguments, missing input, or a confirmation that cannot be asked. */
  usage: 2,
  /** An unexpected runtime failure. */
  runtime: 3,
  /** The configuration: invalid file, unknown instance, unresolved secret reference. */
  config: 4,
  /** The database could not be reached or refused the login. */
  connection: 5,
  /** A SQL statement failed (including permission denied and read-only refusals). */
  sql: 6,
  /** A migration run failed, was refused, or found the lock held. */
  migration: 7,
  /** A backup, verification, restore or storage operation failed. */
  backup: 8,
  /** The local sandbox could not be started, stopped or reset. */
  sandbox: 9,
  /** A file named on the command line could not be read or written. */
  file: 10,
  /** Interrupted by SIGINT (Ctrl-C). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** One line per code, for `--help` and the README. */
export const EXIT_CODE_HELP = `Exit codes:
  0    success
  1    failed checks or error findings
  2    usage error
  3    runtime failure
  4    configuration error
  5    connection failure
  6    SQL failure
  7    migration failure
  8    backup, restore or storage failure
  9    sandbox failure
  10   file read or write failure
  130  interrupted (SIGINT)`;
