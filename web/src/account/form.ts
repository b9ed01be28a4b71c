// The error handling every account form shares: the server's fieldErrors
// under their fields, its message above the form when some error has no
// field here, and the first field in error to move the focus to.
import type { ApiError } from '../api/errors'

/** Errors are a form's field errors by field key ('' for none). */
export type Errors<F extends string> = Record<F, string>

/** emptyErrors returns no error for each of fields. */
export function emptyErrors<F extends string>(fields: readonly F[]): Errors<F> {
  return Object.fromEntries(fields.map((f) => [f, ''])) as Errors<F>
}

/** clearErrors empties every field error of errors. */
export function clearErrors<F extends string>(errors: Errors<F>): void {
  for (const k of Object.keys(errors) as F[]) errors[k] = ''
}

/**
 * showServerError puts err's field errors under the fields of errors they
 * name and returns the message to show above the form: '' when every
 * field error found its field; the errors of fields the form does not
 * have, when there are some (the person must learn of them somewhere);
 * err's message when it has no field errors.
 */
export function showServerError<F extends string>(errors: Errors<F>, err: ApiError): string {
  const stray: string[] = []
  for (const [k, v] of Object.entries(err.fieldErrors)) {
    if (k in errors) errors[k as F] = v
    else stray.push(v)
  }
  if (stray.length) return stray.join('；')
  return Object.keys(err.fieldErrors).length ? '' : err.message
}

/** firstError is the first field of order with an error, in the order the form shows them. */
export function firstError<F extends string>(order: readonly F[], errors: Errors<F>): F | undefined {
  return order.find((f) => errors[f])
}
