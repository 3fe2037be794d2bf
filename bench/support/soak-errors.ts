/** The kinds of error the soak counts: shared by its load process and its report. */
export const SOAK_ERROR_KINDS = ['5xx', 'unexpected-4xx', 'timeout', 'connection', 'wrong-answer'] as const;
export type SoakErrorKind = (typeof SOAK_ERROR_KINDS)[number];
