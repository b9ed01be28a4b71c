package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// 好差评: once an application is completed or rejected, its applicant may
// rate the service once, with the grades of the code table serviceRating.
// A negative rating (差评: 不满意, 非常不满意) needs a comment and becomes a
// follow-up case of the application's pooling area, to be answered within
// AnswerWorkingDays working days; the answer reaches the applicant.
//
// The rating is an item of the application's partition (RATING), on GSI2
// under its area (APP#RATING#<统筹区> / <rated>#<id>) for the staff's list:
// an application leaves the review queue (GSI2 of its own item) when it is
// decided, and a rating exists only after that.

// AnswerWorkingDays is how long the agency has to answer a negative rating.
const AnswerWorkingDays = 15

const (
	skRating  = "RATING"
	gsiRating = "APP#RATING#"
	// negativeBelow: grades up to 2 (不满意, 非常不满意) are 差评.
	negativeBelow = "2"
)

// Rating is an applicant's rating of a decided application.
type Rating struct {
	App        string    `json:"applicationId"`
	Business   string    `json:"business"`
	Area       string    `json:"area,omitempty"`
	Grade      string    `json:"grade"` // code of serviceRating
	Label      string    `json:"label"`
	Comment    string    `json:"comment,omitempty"`
	Negative   bool      `json:"negative"`
	Rated      time.Time `json:"ratedAt"`
	AnswerBy   time.Time `json:"answerBy,omitzero"` // a negative rating's deadline
	Answer     string    `json:"answer,omitempty"`
	Answered   time.Time `json:"answeredAt,omitzero"`
	AnsweredBy string    `json:"-"`
}

func ratingKey(app string) table.Key { return table.Key{PK: pkApp + app, SK: skRating} }

func encodeRating(r *Rating, version int64) table.Item {
	body, _ := json.Marshal(r)
	k := ratingKey(r.App)
	it := table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK, "T": "rating", "Doc": string(body), table.AttrVersion: version + 1,
		table.AttrGSI2PK: gsiRating + r.Area, table.AttrGSI2SK: stamp(r.Rated) + "#" + r.App}
	if r.AnsweredBy != "" {
		it["AnsweredBy"] = r.AnsweredBy
	}
	return it
}

func decodeRating(it table.Item) (*Rating, int64, error) {
	var r Rating
	if err := json.Unmarshal([]byte(it.String("Doc")), &r); err != nil {
		return nil, 0, fmt.Errorf("application: corrupt rating %s: %w", it.Key(), err)
	}
	r.AnsweredBy = it.String("AnsweredBy")
	return &r, it.Int(table.AttrVersion), nil
}

// AddWorkingDays is t plus n working days (Monday to Friday) in
// Asia/Shanghai, at the same time of day. Public holidays and the
// make-up working weekends are not modelled yet (the calendar of issue 12
// will have them), so the deadline can fall a holiday early.
func AddWorkingDays(t time.Time, n int) time.Time {
	d := t.In(clock.Shanghai)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// Rate records the applicant's rating of a decided application, once.
func (s *Service) Rate(ctx context.Context, c identity.Caller, id, grade, comment string) (*Rating, error) {
	cs, err := s.Get(ctx, c, "", id)
	if err != nil {
		return nil, err
	}
	a := cs.App
	if a.Status != StatusCompleted && a.Status != StatusRejected {
		return nil, apperr.E(apperr.Conflict, "办结后才能评价；当前状态："+a.Status.Label())
	}
	t, _ := catalog.Default().Tables().Table("serviceRating")
	e, ok := t.Lookup(grade)
	if !ok {
		if byLabel, found := t.ByLabel(grade); found {
			e, ok = byLabel, true
		}
	}
	comment = strings.TrimSpace(comment)
	bad := map[string]string{}
	if !ok {
		bad["grade"] = "请选择评价：非常满意、满意、基本满意、不满意或非常不满意"
	}
	negative := ok && e.Code <= negativeBelow
	switch {
	case negative && comment == "":
		bad["comment"] = "选择“" + e.Label + "”时请填写原因，以便我们改进"
	case len([]rune(comment)) > maxComment:
		bad["comment"] = fmt.Sprintf("最多%d个字", maxComment)
	}
	if len(bad) > 0 {
		return nil, apperr.Fields("", bad)
	}
	now := s.clk.Now()
	r := &Rating{App: a.ID, Business: a.Business, Area: a.Area, Grade: e.Code, Label: e.Label, Comment: comment,
		Negative: negative, Rated: now}
	if negative {
		r.AnswerBy = AddWorkingDays(now, AnswerWorkingDays)
	}
	if r.Area == "" {
		r.Area = ProvinceArea
	}
	err = s.t.Put(ctx, encodeRating(r, 0), table.IfAbsent())
	if errors.Is(err, table.ErrConditionFailed) {
		return nil, apperr.E(apperr.Conflict, "您已评价过该申请，每件申请只能评价一次")
	}
	if err != nil {
		return nil, fmt.Errorf("application: rate: %w", err)
	}
	return r, nil
}

// RatingQuery filters the ratings of a pooling area.
type RatingQuery struct {
	Business   string
	Negative   bool // 差评 only
	Unanswered bool // negative ones not answered yet
	Cursor     string
	Limit      int
}

// Ratings lists the ratings of the reviewer's pooling area, newest first.
func (s *Service) Ratings(ctx context.Context, c identity.Caller, q RatingQuery) ([]*Rating, string, error) {
	if err := reviewer(c); err != nil {
		return nil, "", err
	}
	cursor := q.Cursor
	var out []*Rating
	for {
		page, err := s.t.Query(ctx, table.Query{Index: table.GSI2, PK: gsiRating + c.PoolingArea, Backward: true, Limit: q.Limit, Cursor: cursor})
		if errors.Is(err, table.ErrInvalid) {
			return nil, "", apperr.Field("cursor", "翻页参数无效，请从第一页重新查看")
		}
		if err != nil {
			return nil, "", fmt.Errorf("application: ratings: %w", err)
		}
		for _, it := range page.Items {
			r, _, err := decodeRating(it)
			if err != nil {
				return nil, "", err
			}
			if (q.Business == "" || r.Business == q.Business) && (!q.Negative || r.Negative) &&
				(!q.Unanswered || (r.Negative && r.Answer == "")) {
				out = append(out, r)
			}
		}
		cursor = page.Cursor
		if cursor == "" || len(out) > 0 {
			return out, cursor, nil
		}
	}
}

// AnswerRating records the agency's answer to a negative rating of the
// reviewer's pooling area; the applicant sees it with the rating.
func (s *Service) AnswerRating(ctx context.Context, c identity.Caller, id, answer string) (*Rating, error) {
	if err := reviewer(c); err != nil {
		return nil, err
	}
	answer = strings.TrimSpace(answer)
	if answer == "" || len([]rune(answer)) > maxComment {
		return nil, apperr.Field("answer", fmt.Sprintf("请填写答复，最多%d个字", maxComment))
	}
	it, err := s.t.Get(ctx, ratingKey(id))
	if errors.Is(err, table.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("application: rating: %w", err)
	}
	r, version, err := decodeRating(it)
	if err != nil {
		return nil, err
	}
	if r.Area != c.PoolingArea {
		return nil, ErrNotFound
	}
	if !r.Negative {
		return nil, apperr.E(apperr.Conflict, "只有差评需要答复")
	}
	if r.Answer != "" {
		return nil, apperr.E(apperr.Conflict, "该差评已答复，答复不能修改")
	}
	r.Answer, r.Answered, r.AnsweredBy = answer, s.clk.Now(), c.AccountID
	err = s.t.Put(ctx, encodeRating(r, version), table.IfVersion(version))
	if errors.Is(err, table.ErrConditionFailed) {
		return nil, errStale
	}
	if err != nil {
		return nil, fmt.Errorf("application: answer: %w", err)
	}
	return r, nil
}

// RatingStats are the ratings of a pooling area in a period, per business.
type RatingStats struct {
	Area     string            `json:"area"`
	From     string            `json:"from"` // YYYY-MM-DD, Asia/Shanghai, inclusive
	To       string            `json:"to"`
	Total    BusinessRatings   `json:"total"`
	Business []BusinessRatings `json:"businesses"`
}

// BusinessRatings counts one business's ratings (or all of them).
type BusinessRatings struct {
	Business string         `json:"business,omitempty"`
	Name     string         `json:"name,omitempty"`
	Count    int            `json:"count"`
	Grades   map[string]int `json:"grades"`   // by label: 非常满意 … 非常不满意
	Positive int            `json:"positive"` // 非常满意, 满意, 基本满意
	// Satisfaction is Positive / Count in percent, two decimals ("" when
	// nothing was rated).
	Satisfaction string `json:"satisfaction"`
	Negative     int    `json:"negative"`
	Unanswered   int    `json:"unanswered"` // negative, not answered yet
	Late         int    `json:"late"`       // negative, answered after its deadline or still open past it
}

func (b *BusinessRatings) add(r *Rating, now time.Time) {
	b.Count++
	if b.Grades == nil {
		b.Grades = map[string]int{}
	}
	b.Grades[r.Label]++
	if !r.Negative {
		b.Positive++
		return
	}
	b.Negative++
	if r.Answer == "" {
		b.Unanswered++
	}
	if (r.Answer == "" && now.After(r.AnswerBy)) || (r.Answer != "" && r.Answered.After(r.AnswerBy)) {
		b.Late++
	}
}

func (b *BusinessRatings) finish() {
	if b.Grades == nil {
		b.Grades = map[string]int{}
	}
	if b.Count > 0 {
		// Percent with two decimals, half up, in integers.
		bp := (b.Positive*1000000/b.Count + 5) / 10
		b.Satisfaction = fmt.Sprintf("%d.%02d", bp/100, bp%100)
	}
}

// RatingStats counts the ratings of the reviewer's pooling area rated
// from..to (dates in Asia/Shanghai, inclusive), per business: one query
// of the area's ratings in the period (GSI2, paged).
func (s *Service) RatingStats(ctx context.Context, c identity.Caller, from, to time.Time) (RatingStats, error) {
	if err := reviewer(c); err != nil {
		return RatingStats{}, err
	}
	end := to.AddDate(0, 0, 1)
	out := RatingStats{Area: c.PoolingArea, From: from.Format("2006-01-02"), To: to.Format("2006-01-02")}
	by := map[string]*BusinessRatings{}
	now := s.clk.Now()
	q := table.Query{Index: table.GSI2, PK: gsiRating + c.PoolingArea, Limit: 500,
		SK: table.SKCond{Op: table.SKBetween, Value: stamp(from), Value2: stamp(end)}}
	for {
		page, err := s.t.Query(ctx, q)
		if err != nil {
			return RatingStats{}, fmt.Errorf("application: rating stats: %w", err)
		}
		for _, it := range page.Items {
			r, _, err := decodeRating(it)
			if err != nil {
				return RatingStats{}, err
			}
			if !r.Rated.Before(end) {
				continue
			}
			b := by[r.Business]
			if b == nil {
				b = &BusinessRatings{Business: r.Business}
				if cb, ok := s.cat().Business(r.Business); ok {
					b.Name = cb.Name
				}
				by[r.Business] = b
			}
			b.add(r, now)
			out.Total.add(r, now)
		}
		if page.Cursor == "" {
			break
		}
		q.Cursor = page.Cursor
	}
	for _, b := range by {
		b.finish()
		out.Business = append(out.Business, *b)
	}
	slices.SortFunc(out.Business, func(a, b BusinessRatings) int { return strings.Compare(a.Business, b.Business) })
	out.Total.finish()
	if out.Business == nil {
		out.Business = []BusinessRatings{}
	}
	return out, nil
}
