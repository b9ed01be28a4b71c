package catalog_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/catalog"
)

// TestEveryFormAcceptsValidValues proves each of the 42 forms accepts a
// complete, consistent submission without warnings, and that every field
// comes back normalized.
func TestEveryFormAcceptsValidValues(t *testing.T) {
	for _, b := range catalog.Default().Businesses() {
		t.Run(b.Section+" "+b.ID, func(t *testing.T) {
			in := validForm(t, b)
			res := b.Validate(in, may10)
			if !res.Valid() || len(res.Warnings) > 0 {
				t.Fatalf("errors %v, warnings %v for %v", res.Errors, res.Warnings, in)
			}
			if got, want := slices.Sorted(maps.Keys(res.Values)), slices.Sorted(maps.Keys(in)); !slices.Equal(got, want) {
				t.Errorf("normalized keys %v, want %v", got, want)
			}
			if res.Err() != nil {
				t.Errorf("Err() = %v on a valid form", res.Err())
			}
		})
	}
}

// TestEmptyFormNamesEveryRequiredField checks that an empty submission
// gets one Chinese message per required field and nothing else.
func TestEmptyFormNamesEveryRequiredField(t *testing.T) {
	for _, b := range catalog.Default().Businesses() {
		res := b.Validate(nil, may10)
		var want []string
		for _, f := range b.Fields {
			if f.Required {
				want = append(want, f.Key)
			}
		}
		if diff := cmp.Diff(slices.Sorted(slices.Values(want)), slices.Sorted(maps.Keys(res.Errors))); diff != "" {
			t.Errorf("%s: error keys (-want +got)\n%s", b.ID, diff)
		}
		for k, msg := range res.Errors {
			if !strings.HasPrefix(msg, "请填写") && !strings.HasPrefix(msg, "请选择") {
				t.Errorf("%s: %s: %q", b.ID, k, msg)
			}
		}
	}
}

type engineCase struct {
	name  string
	biz   string
	set   []string          // key, value pairs applied to the valid form ("" deletes)
	errs  map[string]string // key → substring of the message; exactly these keys fail
	warns map[string]string // key → substring; exactly these keys warn
	norm  map[string]string // key → normalized value
}

func runCases(t *testing.T, cases []engineCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := business(t, tc.biz)
			res := b.Validate(with(validForm(t, b), tc.set...), may10)
			check := func(kind string, got, want map[string]string) {
				t.Helper()
				if diff := cmp.Diff(slices.Sorted(maps.Keys(want)), slices.Sorted(maps.Keys(got))); diff != "" {
					t.Errorf("%s keys (-want +got)\n%s\n%v", kind, diff, got)
					return
				}
				for k, sub := range want {
					if !strings.Contains(got[k], sub) {
						t.Errorf("%s[%s] = %q, want it to contain %q", kind, k, got[k], sub)
					}
				}
			}
			check("errors", res.Errors, tc.errs)
			check("warnings", res.Warnings, tc.warns)
			for k, v := range tc.norm {
				if got := res.Values[k]; got != v {
					t.Errorf("Values[%s] = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestFieldTypes(t *testing.T) {
	longText := strings.Repeat("黑", 201)
	runCases(t, []engineCase{
		// required
		{name: "required text", biz: "employee-enrol", set: []string{"name", ""}, errs: map[string]string{"name": "请填写姓名"}},
		{name: "required enum", biz: "employee-enrol", set: []string{"gender", ""}, errs: map[string]string{"gender": "请选择性别"}},
		{name: "blank is empty", biz: "employee-enrol", set: []string{"name", "   "}, errs: map[string]string{"name": "请填写姓名"}},
		{name: "optional empty is fine", biz: "employee-enrol", set: []string{"email", ""}},
		// text
		{name: "text too long", biz: "employee-enrol", set: []string{"address", longText}, errs: map[string]string{"address": "最多200个字，当前201个字"}},
		{name: "person name with digits (manual 5.8)", biz: "unit-key-info-maintenance", set: []string{"legalRepName", "3123123123123"}, errs: map[string]string{"legalRepName": "不能包含数字"}},
		{name: "person name with symbol", biz: "employee-enrol", set: []string{"name", "刘@一"}, errs: map[string]string{"name": "不能包含符号“@”"}},
		{name: "minority name with dot", biz: "employee-enrol", set: []string{"name", "买买提·吐尔逊"}},
		{name: "control character", biz: "employee-enrol", set: []string{"address", "哈尔滨\x00"}, errs: map[string]string{"address": "控制字符"}},
		// code
		{name: "code with space", biz: "employee-enrol", set: []string{"unitNumber", "2309 99"}, errs: map[string]string{"unitNumber": "只能包含数字、字母"}},
		{name: "code too long", biz: "employee-enrol", set: []string{"unitNumber", strings.Repeat("1", 33)}, errs: map[string]string{"unitNumber": "最多32位"}},
		// date
		{name: "date YYYYMMDD normalized", biz: "employee-enrol", set: []string{"workStartDate", "20010903"}, norm: map[string]string{"workStartDate": "2001-09-03"}},
		{name: "date slashes", biz: "employee-enrol", set: []string{"workStartDate", "2001/09/03"}, errs: map[string]string{"workStartDate": "请按YYYY-MM-DD或YYYYMMDD填写"}},
		{name: "date no such day", biz: "employee-enrol", set: []string{"workStartDate", "2001-02-29"}, errs: map[string]string{"workStartDate": "2001年2月只有28天"}},
		{name: "date leap day", biz: "employee-enrol", set: []string{"workStartDate", "2000-02-29"}},
		{name: "date month 13", biz: "employee-enrol", set: []string{"workStartDate", "2001-13-01"}, errs: map[string]string{"workStartDate": "月份应在01-12之间"}},
		{name: "date before 1900", biz: "employee-enrol", set: []string{"insuredDate", "1899-12-31"}, errs: map[string]string{"insuredDate": "不能早于1900-01-01"}},
		{name: "date in the future", biz: "employee-enrol", set: []string{"workStartDate", "2022-05-11"}, errs: map[string]string{"workStartDate": "不能晚于今天（2022-05-10）"}},
		{name: "date today", biz: "employee-enrol", set: []string{"workStartDate", "2022-05-10"}},
		// yearMonth
		{name: "yearMonth YYYYMM normalized", biz: "employee-enrol", set: []string{"firstInsuredYearMonth", "201602"}, norm: map[string]string{"firstInsuredYearMonth": "2016-02"}},
		{name: "yearMonth full date (manual 5.11)", biz: "employee-enrol", set: []string{"firstInsuredYearMonth", "2016-02-02"}, errs: map[string]string{"firstInsuredYearMonth": "请按YYYYMM或YYYY-MM填写"}},
		{name: "yearMonth month 00", biz: "employee-enrol", set: []string{"firstInsuredYearMonth", "201600"}, errs: map[string]string{"firstInsuredYearMonth": "月份应在01-12之间"}},
		// year and month
		{name: "year", biz: "survivor-eligibility-certification", set: []string{"year", "2023"}},
		{name: "year two digits", biz: "survivor-eligibility-certification", set: []string{"year", "22"}, errs: map[string]string{"year": "4位年份"}},
		{name: "year too far ahead", biz: "survivor-eligibility-certification", set: []string{"year", "2024"}, errs: map[string]string{"year": "不能晚于2023"}},
		{name: "month one digit", biz: "unit-wage-declaration", set: []string{"startMonth", "1"}, norm: map[string]string{"startMonth": "01"}},
		{name: "month 13", biz: "unit-wage-declaration", set: []string{"endMonth", "13"}, errs: map[string]string{"endMonth": "月份应在01-12之间"}},
		// money, number, ratio, integer
		{name: "money integer", biz: "employee-enrol", set: []string{"wage", "6000"}, norm: map[string]string{"wage": "6000.00"}},
		{name: "money one decimal", biz: "employee-enrol", set: []string{"wage", "6000.5"}, norm: map[string]string{"wage": "6000.50"}},
		{name: "money full-width digits", biz: "employee-enrol", set: []string{"wage", "６０００"}, norm: map[string]string{"wage": "6000.00"}},
		{name: "money three decimals", biz: "employee-enrol", set: []string{"wage", "6000.555"}, errs: map[string]string{"wage": "最多保留2位小数"}},
		{name: "money thousands separator", biz: "employee-enrol", set: []string{"wage", "6,000"}, errs: map[string]string{"wage": "应为金额"}},
		{name: "money negative", biz: "employee-enrol", set: []string{"wage", "-1"}, errs: map[string]string{"wage": "不能小于0.00"}},
		{name: "money too large", biz: "employee-enrol", set: []string{"wage", "100000000"}, errs: map[string]string{"wage": "不能大于99999999.99"}},
		{name: "number may be negative where allowed", biz: "survivor-info-change", set: []string{"differenceFromStandard", "-12.5"}, norm: map[string]string{"differenceFromStandard": "-12.50"}},
		{name: "ratio above 1", biz: "survivor-info-change", set: []string{"dependantBenefitRatio", "1.5"}, errs: map[string]string{"dependantBenefitRatio": "不能大于1"}},
		{name: "ratio", biz: "survivor-info-change", set: []string{"dependantBenefitRatio", "1"}, norm: map[string]string{"dependantBenefitRatio": "1"}},
		{name: "integer", biz: "retirement-qualification-admin-revision", set: []string{"actualContributionMonths", "192"}, norm: map[string]string{"actualContributionMonths": "192"}},
		{name: "integer with decimals", biz: "retirement-qualification-admin-revision", set: []string{"actualContributionMonths", "19.2"}, errs: map[string]string{"actualContributionMonths": "应为整数"}},
		{name: "integer above max", biz: "retirement-qualification-admin-revision", set: []string{"earlyRetirementMonths", "1201"}, errs: map[string]string{"earlyRetirementMonths": "不能大于1200"}},
		{name: "years field holding a date (manual 5.9)", biz: "unit-enrol", set: []string{"businessLicenseValidYears", "2028-02-25"}, errs: map[string]string{"businessLicenseValidYears": "应为整数"}},
		// enum
		{name: "enum by code", biz: "employee-enrol", set: []string{"ethnicity", "01"}, norm: map[string]string{"ethnicity": "01"}},
		{name: "enum by label", biz: "employee-enrol", set: []string{"ethnicity", "汉族"}, norm: map[string]string{"ethnicity": "01"}},
		{name: "enum by label variant", biz: "employee-enrol", set: []string{"idType", "居民身份证 (户口簿)"}, norm: map[string]string{"idType": "01"}},
		{name: "enum unknown", biz: "employee-enrol", set: []string{"ethnicity", "火星族"}, errs: map[string]string{"ethnicity": "“火星族”不在可选范围内"}},
		// identifiers
		{name: "ID number lower-case x", biz: "employee-enrol", set: []string{"idNumber", "11010519491231002x", "socialSecurityNumber", "11010519491231002X", "birthDate", "1949-12-31", "gender", "2", "workStartDate", "1966-01-01"}, norm: map[string]string{"idNumber": "11010519491231002X"}},
		{name: "15-digit ID upgraded", biz: "employee-enrol", set: []string{"idNumber", "230902780111001"}, norm: map[string]string{"idNumber": maleID}},
		{name: "ID number checksum", biz: "employee-enrol", set: []string{"idNumber", maleID[:17] + "0"}, errs: map[string]string{"idNumber": "校验位不正确"}},
		{name: "ID number 17 digits", biz: "employee-enrol", set: []string{"idNumber", maleID[:17]}, errs: map[string]string{"idNumber": "应为18位"}},
		{name: "social security number checksum", biz: "employee-enrol", set: []string{"socialSecurityNumber", maleID[:17] + "0"}, errs: map[string]string{"socialSecurityNumber": "社会保障号："}},
		{name: "mobile", biz: "employee-enrol", set: []string{"mobile", "1300999888"}, errs: map[string]string{"mobile": "手机号码格式不正确"}},
		{name: "phone as landline", biz: "employee-enrol", set: []string{"phone", "0451-86123456"}},
		{name: "phone as mobile", biz: "employee-enrol", set: []string{"phone", "13009998833"}},
		{name: "phone invalid", biz: "employee-enrol", set: []string{"phone", "123"}, errs: map[string]string{"phone": "联系电话"}},
		{name: "postcode", biz: "employee-enrol", set: []string{"postcode", "15460"}, errs: map[string]string{"postcode": "6位数字"}},
		{name: "email", biz: "employee-enrol", set: []string{"email", "hr@example"}, errs: map[string]string{"email": "邮箱地址"}},
		{name: "bank account fails Luhn: warning", biz: "retirement-application", set: []string{"bankAccount", luhn("622848006001234567", false)}, warns: map[string]string{"bankAccount": "Luhn"}},
		{name: "bank account letters", biz: "retirement-application", set: []string{"bankAccount", "62284800600123456A"}, errs: map[string]string{"bankAccount": "只能由数字组成"}},
		{name: "USCC of 9 characters (manual 5.9)", biz: "unit-enrol", set: []string{"uscc", "MA1BTNNC4"}, errs: map[string]string{"uscc": "应为18位"}},
		{name: "USCC checksum", biz: "unit-enrol", set: []string{"uscc", uscc[:17] + "0"}, errs: map[string]string{"uscc": "校验位不正确"}},
		// regions
		{name: "region by label", biz: "employee-enrol", set: []string{"hukouRegionCode", "桃山区"}, norm: map[string]string{"hukouRegionCode": "230903"}},
		{name: "region outside Heilongjiang: warning", biz: "employee-enrol", set: []string{"hukouRegionCode", "110105"}, warns: map[string]string{"hukouRegionCode": "不在黑龙江省"}},
		{name: "region unknown in Heilongjiang", biz: "employee-enrol", set: []string{"hukouRegionCode", "230998"}, errs: map[string]string{"hukouRegionCode": "不是黑龙江省的行政区划代码"}},
		{name: "pooling area", biz: "survivor-eligibility-certification", set: []string{"publicRegionCode", "230999"}},
		{name: "pooling area is not a division", biz: "employee-enrol", set: []string{"hukouRegionCode", "230999"}, errs: map[string]string{"hukouRegionCode": "不是黑龙江省的行政区划代码"}},
		// unknown keys
		{name: "unknown key", biz: "employee-enrol", set: []string{"shoeSize", "42"}, errs: map[string]string{"shoeSize": "本业务的表单没有“shoeSize”这一项"}},
	})
}

// TestManualInvalidExamples: the example values of the manual's
// screenshots that are not valid are rejected with clear messages.
func TestManualInvalidExamples(t *testing.T) {
	runCases(t, []engineCase{
		{name: "org code 11111111-9 (5.9)", biz: "unit-enrol", set: []string{"orgCode", "11111111-9"},
			errs: map[string]string{"orgCode": "组织机构代码校验码不正确"}},
		{name: "org code 11111111-7 is the valid one", biz: "unit-enrol", set: []string{"orgCode", "11111111-7"},
			warns: map[string]string{"orgCode": "与统一社会信用代码第9-17位"}},
		{name: "ID with birth day 88 (5.9)", biz: "unit-enrol", set: []string{"legalRepIdNumber", "230402198809880322"},
			errs: map[string]string{"legalRepIdNumber": "出生日期无效"}},
		{name: "5-digit region code 14000 (5.7)", biz: "unit-general-info-maintenance", set: []string{"registeredRegionCode", "14000"},
			errs: map[string]string{"registeredRegionCode": "应为6位数字，当前为5位"}},
	})
}

func TestCrossFieldRules(t *testing.T) {
	runCases(t, []engineCase{
		{name: "birth date differs from the ID", biz: "employee-enrol", set: []string{"birthDate", "1978-01-12"},
			errs: map[string]string{"birthDate": "与证件号码中的出生日期（1978-01-11）不一致"}},
		{name: "birth date compared with the social security number", biz: "retiree-eligibility-certification", set: []string{"birthDate", "19780112"},
			errs: map[string]string{"birthDate": "与社会保障号中的出生日期（1978-01-11）不一致"}},
		{name: "gender differs from the ID", biz: "employee-enrol", set: []string{"gender", "女"},
			errs: map[string]string{"gender": "第17位表示“男”"}},
		{name: "female ID", biz: "employee-enrol", set: []string{"idNumber", femaleID, "socialSecurityNumber", femaleID, "birthDate", "1980-02-29", "gender", "2"}},
		{name: "end year-month before start", biz: "retiree-eligibility-certification", set: []string{"startYearMonth", "2022-05", "endYearMonth", "202204"},
			errs: map[string]string{"endYearMonth": "终止年月不能早于开始年月（2022-05）"}},
		{name: "end month before start month", biz: "unit-wage-declaration", set: []string{"startMonth", "12", "endMonth", "01"},
			errs: map[string]string{"endMonth": "不能早于开始年月（12）"}},
		{name: "end equals start", biz: "retiree-eligibility-certification", set: []string{"startYearMonth", "2022-05", "endYearMonth", "2022-05"}},
		{name: "work before birth", biz: "employee-enrol", set: []string{"workStartDate", "1977-12-31"},
			errs: map[string]string{"workStartDate": "参加工作日期不能早于出生日期（1978-01-11）"}},
		{name: "year-month against a date: same month is fine", biz: "retiree-benefit-suspend", set: []string{"retirementDate", "2021-11-01", "benefitStartYearMonth", "2021-11"}},
		{name: "year-month against a date: month before", biz: "retiree-benefit-suspend", set: []string{"retirementDate", "2021-11-01", "benefitStartYearMonth", "2021-10"},
			errs: map[string]string{"benefitStartYearMonth": "不能早于退休日期（2021-11-01）"}},
		{name: "receiver 本人 needs no receiver fields", biz: "retiree-benefit-terminate", set: []string{"receiverRelation", "本人", "receiverName", "", "receiverIdType", "", "receiverIdNumber", "", "receiverPhone", ""}},
		{name: "receiver 继承人 needs receiver fields", biz: "retiree-benefit-terminate",
			set: []string{"receiverRelation", "继承人", "receiverName", "", "receiverIdType", "", "receiverIdNumber", "", "receiverPhone", ""},
			errs: map[string]string{
				"receiverName": "领取人关系为“继承人”时，请填写领取人姓名", "receiverIdType": "请选择领取人证件类型",
				"receiverIdNumber": "请填写领取人证件号码", "receiverPhone": "请填写领取人联系电话"}},
		{name: "receiver 继承人 with receiver fields", biz: "retiree-benefit-terminate", set: []string{"receiverRelation", "02", "receiverIdNumber", femaleID}},
		{name: "passport number under a passport ID type", biz: "employee-enrol", set: []string{"idType", "外国人护照", "idNumber", "E12345678", "socialSecurityNumber", "e12345678", "gender", "2"},
			norm: map[string]string{"idNumber": "E12345678", "socialSecurityNumber": "E12345678"}},
		{name: "passport number under the resident ID type", biz: "employee-enrol", set: []string{"idNumber", "E12345678"},
			errs: map[string]string{"idNumber": "公民身份号码"}},
		{name: "receiver passport", biz: "retiree-benefit-terminate", set: []string{"receiverIdType", "08", "receiverIdNumber", "G1234567"}},
		{name: "repeated social security number differs", biz: "survivor-eligibility-certification", set: []string{"socialSecurityNumber2", femaleID},
			errs: map[string]string{"socialSecurityNumber2": "两次填写的社会保障号不一致"}},
		{name: "archive birth date differs: warning", biz: "retirement-qualification-admin-revision", set: []string{"archiveBirthDate", "1978-02-11"},
			warns: map[string]string{"archiveBirthDate": "档案出生日期与证件号码中的出生日期不一致"}},
		{name: "social security number differs from the ID: warning", biz: "retiree-benefit-suspend", set: []string{"socialSecurityNumber", femaleID, "gender", "1"},
			warns: map[string]string{"socialSecurityNumber": "通常与公民身份号码相同"}},
		{name: "rule skipped when a field is invalid", biz: "employee-enrol", set: []string{"birthDate", "1978-02-30"},
			errs: map[string]string{"birthDate": "只有28天"}},
	})
}

func TestResultErr(t *testing.T) {
	b := business(t, "employee-enrol")
	res := b.Validate(with(validForm(t, b), "name", ""), may10)
	err := res.Err()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid || e.Fields["name"] != "请填写姓名" {
		t.Fatalf("Err() = %#v", err)
	}
	if apperr.Status(e.Code) != 422 {
		t.Errorf("status %d", apperr.Status(e.Code))
	}
}

func TestUnknownKeysAreBounded(t *testing.T) {
	b := business(t, "employee-enrol")
	in := validForm(t, b)
	for i := range 100 {
		in[strings.Repeat("x", i+1)] = "1"
	}
	if n := len(b.Validate(in, may10).Errors); n != 20 {
		t.Errorf("%d errors for 100 unknown keys, want 20", n)
	}
}

// TestValidateConcurrently runs one form from many goroutines (the
// scratch space is pooled); run with -race.
func TestValidateConcurrently(t *testing.T) {
	b := business(t, "employee-enrol")
	good := validForm(t, b)
	bad := with(good, "birthDate", "1978-01-12")
	done := make(chan error)
	for g := range 8 {
		go func() {
			for i := range 200 {
				in, wantValid := good, true
				if (g+i)%2 == 1 {
					in, wantValid = bad, false
				}
				if res := b.Validate(in, may10); res.Valid() != wantValid || !wantValid && len(res.Errors) != 1 {
					done <- errors.New("unexpected result under concurrency")
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
