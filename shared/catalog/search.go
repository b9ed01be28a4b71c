package catalog

import (
	"slices"
	"strings"

	"github.com/hljhrss/hrss/shared/apperr"
)

// Query filters the service-center list. Empty fields (and the portal's
// 全部) do not filter. Category and purpose are labels as the portal shows
// them (社会保险, 费用征缴) or their codes in the code tables businessCategory,
// businessKind and businessPurpose (socialInsurance, collection).
type Query struct {
	UserType string // individual or enterprise
	Category string // 业务类别 / 业务种类
	Purpose  string // 办理作用
	Family   string // family id
	Q        string // substring of the name (or an alias), or of the pinyin initials
}

// All is the portal's "no filter" value of the category and purpose filters.
const All = "全部"

// Find returns the businesses matching q in manual order. Filter values
// that the catalog does not know are an invalid-input error with a field
// error per filter (keys userType, category, purpose, family), so that a
// typo does not silently return nothing.
func (c *Catalog) Find(q Query) ([]*Business, error) {
	fields := map[string]string{}
	var cats, purps []string
	switch q.UserType {
	case "":
		cats = union(c.filters.Individual.Categories, c.filters.Enterprise.Categories)
		purps = union(c.filters.Individual.Purposes, c.filters.Enterprise.Purposes)
	case Individual:
		cats, purps = c.filters.Individual.Categories, c.filters.Individual.Purposes
	case Enterprise:
		cats, purps = c.filters.Enterprise.Categories, c.filters.Enterprise.Purposes
	default:
		fields["userType"] = "用户类型只能是 individual（个人用户）或 enterprise（企业用户）"
	}
	if q.Category == All {
		q.Category = ""
	}
	if q.Purpose == All {
		q.Purpose = ""
	}
	// The filters' code-table codes (socialInsurance, collection ...)
	// are accepted for their labels.
	q.Category = c.filterLabel(q.Category, "businessCategory", "businessKind")
	q.Purpose = c.filterLabel(q.Purpose, "businessPurpose")
	if q.Category != "" && cats != nil && !slices.Contains(cats, q.Category) {
		fields["category"] = "业务类别“" + clip(q.Category) + "”不存在，可选：" + strings.Join(cats, "、")
	}
	if q.Purpose != "" && purps != nil && !slices.Contains(purps, q.Purpose) {
		fields["purpose"] = "办理作用“" + clip(q.Purpose) + "”不存在，可选：" + strings.Join(purps, "、")
	}
	if q.Family != "" && !slices.ContainsFunc(c.families, func(f Family) bool { return f.ID == q.Family }) {
		ids := make([]string, len(c.families))
		for i, f := range c.families {
			ids[i] = f.ID
		}
		fields["family"] = "业务分组“" + clip(q.Family) + "”不存在，可选：" + strings.Join(ids, "、")
	}
	if len([]rune(q.Q)) > 50 {
		fields["q"] = "搜索内容最多50个字，请精简"
	}
	if len(fields) > 0 {
		return nil, apperr.Fields("查询条件有误，请按提示修改", fields)
	}
	term := strings.TrimSpace(q.Q)
	upper := strings.ToUpper(term)
	var out []*Business
	for _, b := range c.businesses {
		switch {
		case q.UserType != "" && b.UserType != q.UserType,
			q.Category != "" && !slices.Contains(b.Categories, q.Category),
			q.Purpose != "" && !slices.Contains(b.Purposes, q.Purpose),
			q.Family != "" && b.Family != q.Family,
			term != "" && !b.matches(term, upper):
			continue
		}
		out = append(out, b)
	}
	return out, nil
}

// matches reports whether the search term is a substring of the name, an
// alias, or (for ASCII letters) the pinyin initials.
func (b *Business) matches(term, upper string) bool {
	if strings.Contains(b.Name, term) || strings.Contains(b.Initials, upper) && isLetters(upper) {
		return true
	}
	for _, a := range b.Aliases {
		if strings.Contains(a, term) {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// filterLabel returns the label of a filter value given as a code of one
// of the named code tables, or the value itself.
func (c *Catalog) filterLabel(v string, tables ...string) string {
	if v == "" {
		return v
	}
	for _, name := range tables {
		if t, ok := c.tables.Table(name); ok {
			if e, ok := t.Lookup(v); ok {
				return e.Label
			}
		}
	}
	return v
}
