package runner_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/ledger"
)

// TestPrefillFromRecords: a draft opened by a demo account shows what the
// ledger holds about the applicant, as codes of the fields' code tables
// (the ledger's own spellings — 暂停缴费, 灵活就业 — are aliases there), and
// the draft so prefilled still submits: the read-only values agree with
// the records the submit checks them against.
func TestPrefillFromRecords(t *testing.T) {
	r := seededRunner(t)
	units := map[string]ledger.Unit{}
	for _, u := range demo.Units() {
		units[u.Number] = u
	}
	machinery, logistics := units[demo.UnitMachinery], units[demo.UnitLogistics]
	tests := []struct {
		name     string
		account  string // 人员编号 or 单位编号 of the demo account
		business string
		want     map[string]string
	}{
		{"4.17 王海涛, suspended flexible employment", demo.PersonFlexPaused, "flexible-employment-continue-insurance", map[string]string{
			"name":               "王海涛",
			"insuredIdentity":    "02",         // 灵活就业人员
			"contributionStatus": "2",          // the ledger's 暂停缴费: 暂停缴费（中断）
			"insuredStatus":      "1",          // contributions interrupted, still 正常参保
			"insuredDate":        "2021-01-01", // 首次参保年月 202101, its first day
			"insuranceType":      "110",        // 企业职工基本养老保险
			"employmentForm":     "99",         // the spell's 灵活就业: 其他情形
		}},
		{"4.1 赵淑华, paying flexible employment", demo.PersonFlexible, "flexible-employment-suspend", map[string]string{
			"insuredStatus": "1",
			"insuredDate":   "2022-01-01",
			"insuranceType": "110",
		}},
		{"4.2 李淑珍, a retiree", demo.PersonRetiree, "retiree-eligibility-certification", map[string]string{
			"retirementDate": "2015-04-02", // Person.Retired
			"insuranceType":  "110",
		}},
		{"5.7 the machinery unit", demo.UnitMachinery, "unit-general-info-maintenance", map[string]string{
			"unitName": machinery.Name,
			"uscc":     machinery.CreditCode,
			"orgCode":  orgCode(machinery.CreditCode),
			"unitType": "10", // 企业
		}},
		{"5.8 the machinery unit", demo.UnitMachinery, "unit-key-info-maintenance", map[string]string{
			"unitName":   machinery.Name,
			"unitNumber": machinery.Number,
			"uscc":       machinery.CreditCode,
			"orgCode":    orgCode(machinery.CreditCode),
		}},
		{"5.4 the machinery unit", demo.UnitMachinery, "unit-insurance-info-change", map[string]string{
			"unitName":   machinery.Name,
			"unitNumber": machinery.Number,
			"uscc":       machinery.CreditCode,
			"unitType":   "10",
		}},
		{"5.10 the logistics unit", demo.UnitLogistics, "unit-deregister", map[string]string{
			"unitName":         logistics.Name,
			"unitNumber":       logistics.Number,
			"uscc":             logistics.CreditCode,
			"unitType":         "10",
			"publicRegionCode": logistics.PoolingArea,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustBusiness(t, tt.business)
			c := loggedIn(t, r, tt.account)
			w := c.do("POST", "/api/v1/"+b.Family+"/applications", `{"business":"`+b.ID+`"}`)
			wantCode(t, "draft of "+b.ID, w, 201)
			d := decode[draftJSON](t, w)
			got := map[string]string{}
			for k := range tt.want {
				if v, ok := d.Fields[k]; ok {
					got[k] = v
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s prefilled (-want +got):\n%s", b.Section, b.Name, diff)
			}
			path := mustPrepare(t, c, b)
			wantCode(t, "submit of "+b.ID, c.withHeader("POST", path+"/submit", "", "Idempotency-Key", "k-"+path), 201)
		})
	}
}

// orgCode is the 组织机构代码 within a 统一社会信用代码 (GB 32100: its 9th to
// 17th characters) as forms show it, XXXXXXXX-X.
func orgCode(credit string) string { return credit[8:16] + "-" + credit[16:17] }
