package ledgerapi

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/httpapi"
	"github.com/hljhrss/hrss/shared/retirement"
)

// retirementKeys are the field keys of the retirement forms, by input.
var retirementKeys = map[calc.Input]string{
	calc.InputBirthDate: "archiveBirthDate", calc.InputGender: "gender", calc.InputIdentity: "personalIdentity",
	calc.InputRetirementDate: "retirementDate", calc.InputActualMonths: "actualContributionMonths",
	calc.InputDeemedMonths: "deemedContributionMonths",
}

func retirementKey(p calc.Problem) string { return retirementKeys[p.Input] }

// retirementRequest is the body of POST /api/v1/calculations/retirement,
// with the field keys of the retirement forms (4.22, 4.24, 5.3):
//
//	{"archiveBirthDate":"1969-05-18","gender":"男","personalIdentity":"工人",
//	 "retirementDate":"2022-02-15","actualContributionMonths":192,"deemedContributionMonths":0}
//
// With personNumber, what is left out comes from the ledger: birth date,
// gender and identity of the person, and 实际缴费月数 counted from the paid
// months up to the retirement month.
type retirementRequest struct {
	PersonNumber             string          `json:"personNumber"`
	ArchiveBirthDate         string          `json:"archiveBirthDate"`
	Gender                   string          `json:"gender"`
	PersonalIdentity         string          `json:"personalIdentity"`
	RetirementDate           string          `json:"retirementDate"`
	ActualContributionMonths json.RawMessage `json:"actualContributionMonths"`
	DeemedContributionMonths json.RawMessage `json:"deemedContributionMonths"`
}

type retirementResponse struct {
	LegalRetirementAge        string `json:"legalRetirementAge"`       // 60岁, 60岁1个月
	LegalRetirementAgeMonths  int    `json:"legalRetirementAgeMonths"` // 720
	LegalRetirementDate       string `json:"legalRetirementDate"`      // birth date + age
	LegalRetirementMonth      string `json:"legalRetirementMonth"`     // YYYYMM
	DelayMonths               int    `json:"delayMonths"`              // added by the 2025 reform
	Rule                      string `json:"rule"`
	RetirementDate            string `json:"retirementDate"`
	ActualContributionMonths  int    `json:"actualContributionMonths"` // 实际缴费月数
	DeemedContributionMonths  int    `json:"deemedContributionMonths"` // 视同缴费月数
	TotalContributionMonths   int    `json:"totalContributionMonths"`
	ActualCountedFromLedger   bool   `json:"actualCountedFromLedger"`
	EarlyRetirementMonths     int    `json:"earlyRetirementMonths"` // 提前退休月数
	MinimumContributionMonths int    `json:"minimumContributionMonths"`
	MeetsMinimum              bool   `json:"meetsMinimum"`
}

var genders = map[string]calc.Gender{"男": calc.Male, "male": calc.Male, "M": calc.Male, "1": calc.Male,
	"女": calc.Female, "female": calc.Female, "F": calc.Female, "2": calc.Female}

var identities = map[string]calc.Identity{"工人": calc.Worker, "worker": calc.Worker, "干部": calc.Cadre, "cadre": calc.Cadre}

func (s *server) retirement(w http.ResponseWriter, r *http.Request) error {
	var req retirementRequest
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	fields := map[string]string{}
	date := func(key, label, v string) calc.Date {
		if v == "" {
			return calc.Date{}
		}
		d, err := calc.ParseDate(v)
		if err != nil || !d.Valid() {
			fields[key] = label + "格式应为YYYY-MM-DD，且为真实日期"
		}
		return d
	}
	months := func(key, label string, raw json.RawMessage) *int {
		t, ok := text(raw)
		if t == "" && ok {
			return nil
		}
		n, err := strconv.Atoi(t)
		if !ok || err != nil {
			fields[key] = label + "应为整数"
			return nil
		}
		return &n
	}
	in := retirement.Input{
		PersonNumber:   req.PersonNumber,
		BirthDate:      date("archiveBirthDate", "档案出生日期", req.ArchiveBirthDate),
		RetirementDate: date("retirementDate", "退休日期", req.RetirementDate),
		ActualMonths:   months("actualContributionMonths", "实际缴费月数", req.ActualContributionMonths),
		DeemedMonths:   months("deemedContributionMonths", "视同缴费月数", req.DeemedContributionMonths),
	}
	if req.Gender != "" {
		g, ok := genders[req.Gender]
		if !ok {
			fields["gender"] = "性别应为男或女"
		}
		in.Gender = g
	}
	if req.PersonalIdentity != "" {
		id, ok := identities[req.PersonalIdentity]
		if !ok {
			fields["personalIdentity"] = "个人身份应为工人或干部"
		}
		in.Identity = id
	}
	if len(fields) > 0 {
		return apperr.Fields("", fields)
	}
	var sb subject
	if in.PersonNumber != "" {
		var err error
		if sb, err = subjectOf(r, in.PersonNumber, ""); err != nil {
			return err
		}
		in.PersonNumber = sb.person
		if sb.agent {
			in.Employer = sb.unit
		}
	}
	f, err := s.retire.Compute(r.Context(), in)
	if err := fieldErrors(sb.check(err), nil, retirementKey); err != nil {
		return err
	}
	if in.PersonNumber != "" {
		s.auditRead(r.Context(), r, sb, "retirement-figures", "ok")
	}
	httpapi.WriteJSON(w, http.StatusOK, retirementResponse{
		LegalRetirementAge:        f.Legal.AgeText(),
		LegalRetirementAgeMonths:  f.Legal.AgeMonths,
		LegalRetirementDate:       f.Legal.Date.String(),
		LegalRetirementMonth:      f.Legal.Month.String(),
		DelayMonths:               f.Legal.DelayMonths,
		Rule:                      f.Legal.Rule,
		RetirementDate:            f.RetirementDate.String(),
		ActualContributionMonths:  f.Months.Actual,
		DeemedContributionMonths:  f.Months.Deemed,
		TotalContributionMonths:   f.Months.Total,
		ActualCountedFromLedger:   f.MonthsCounted,
		EarlyRetirementMonths:     f.EarlyMonths,
		MinimumContributionMonths: f.MinimumMonths,
		MeetsMinimum:              f.MeetsMinimum(),
	})
	return nil
}
