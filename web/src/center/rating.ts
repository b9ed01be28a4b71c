// 好差评: the five grades of the national rating of government services
// (the code table serviceRating; the API takes the label as the grade),
// of which 不满意 and 非常不满意 are 差评 and need a comment. The server
// checks the same and has the last word; these checks only spare a round
// trip.

/** GRADES are the grades, best first. */
export const GRADES = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'] as const

/** Grade is one of GRADES. */
export type Grade = (typeof GRADES)[number]

/** NEGATIVE are the grades that are 差评. */
export const NEGATIVE: readonly Grade[] = ['不满意', '非常不满意']

/** MAX_COMMENT is the longest comment, in characters (the API's limit). */
export const MAX_COMMENT = 500

/** isNegative tells whether a grade needs a comment. */
export function isNegative(grade: string): boolean {
  return (NEGATIVE as readonly string[]).includes(grade)
}

/** ratingProblems are the field errors of a rating before it is sent, keyed as the API keys them. */
export function ratingProblems(grade: string, comment: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(GRADES as readonly string[]).includes(grade)) out.grade = '请选择评价：非常满意、满意、基本满意、不满意或非常不满意'
  const c = comment.trim()
  if (isNegative(grade) && !c) out.comment = `选择“${grade}”时请填写原因，以便我们改进`
  else if (Array.from(c).length > MAX_COMMENT) out.comment = `最多${MAX_COMMENT}个字`
  return out
}
