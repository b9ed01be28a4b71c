package demo

import (
	"context"
	"fmt"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/identity/account"
)

// Password is the password of every demo account (local runner only).
const Password = "Hrss@Demo2026"

// Account is a demo account as GET /_local/demo-accounts lists it.
type Account struct {
	UserType   string `json:"userType"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	Name       string `json:"name"`
	PersonNo   string `json:"personNo,omitempty"`
	UnitNo     string `json:"unitNo,omitempty"`
	Role       string `json:"role"`
	Area       string `json:"poolingArea,omitempty"`
	TOTPSecret string `json:"totpSecret,omitempty"`
	Mobile     string `json:"mobile,omitempty"`
	What       string `json:"what"` // what the account demonstrates
	// Businesses are the business ids the account can complete, in id
	// order (none for staff).
	Businesses []string `json:"businesses,omitempty"`
}

// Demo staff IDs and TOTP secrets (base32; any authenticator app, or the
// runner's /_local/ page, shows the current code).
const (
	ReviewerID     = "R230999"
	ReviewerSecret = "KZXW6YTMNFZWK3DFOJQXEZLJ"
	// Reviewer2ID is a second reviewer of the same area: four-eyes
	// businesses need two different ones.
	Reviewer2ID     = "R230998"
	Reviewer2Secret = "ORSXG5DFOIZGK5TJMV3WK4RS"
	AdminID         = "A000001"
	AdminSecret     = "MFSG22LOMVZXI2LPNZSW4ZLT"
)

// agents are the units' 经办人 and 法定代表人 (invented).
var agents = map[string]struct{ name, id, rep, repID string }{
	UnitMachinery:  {"王建军", IDNumber("230902", "19800312", "031"), "陈国栋", IDNumber("230902", "19660718", "015")},
	UnitInvestment: {"刘芳", IDNumber("230103", "19870921", "022"), "周志远", IDNumber("230103", "19700105", "037")},
	UnitLogistics:  {"赵磊", IDNumber("230904", "19890611", "053"), "吴海峰", IDNumber("230904", "19681124", "019")},
	UnitTrading:    {"孙秀梅", IDNumber("230902", "19820402", "044"), "郑国庆", IDNumber("230902", "19651001", "075")},
	UnitIndustrial: {"李晓东", IDNumber("230921", "19860830", "011"), "马振华", IDNumber("230921", "19640215", "057")},
}

// A unit registered on the portal but not yet in the ledger: its agent
// demonstrates 5.9 单位参保登记. The account has no 单位编号; the key of its
// agent and business lists is NewUnitAccount.
const (
	NewUnitAccount = "9309999901"
	NewUnitName    = "七台河市新创科技有限公司"
)

// NewUnitCreditCode is the new unit's 统一社会信用代码.
var NewUnitCreditCode = CreditCode("91", "230902", "MA1C7N2Q")

var newUnitAgent = struct{ name, id, rep, repID string }{"钱文静", IDNumber("230902", "19910507", "028"), "钱志刚", IDNumber("230902", "19690923", "013")}

// what tells what each demo person demonstrates.
var what = map[string]string{
	PersonRefund: "4.4 个人退费", PersonBaseDiff: "4.6 职工缴费基数调整补缴", PersonRateDiff: "4.9 职工缴费比例调整补缴",
	PersonFlexible: "4.25/4.26 灵活就业人员应缴核定(撤销)", PersonBackPay: "5.1 职工个人补缴", PersonArrears: "5.5 职工欠费清欠",
	PersonRetiring: "4.22 退休资格行政调整", PersonRetiring53: "5.3 退休申请", PersonRetiree: "离退休人员（待遇）",
	PersonSurvivor: "遗属（遗属待遇）", PersonDeceased: "已故参保人员", PersonFlexPaused: "4.17 灵活就业人员续保（暂停缴费中）",
}

// accountID is the demo 账号 ID of a unit: 9 and the unit number's last
// nine digits.
func accountID(unit string) string { return "9" + unit[len(unit)-9:] }

// mobileOf is a demo mobile number (a reserved-looking 199 number).
func mobileOf(n string) string { return "199" + n[len(n)-8:] }

// Accounts lists the demo accounts: one per demo person, one per demo unit
// with a credit code, two reviewers of the pooling area 230999 and an admin.
func Accounts() []Account {
	var out []Account
	for _, p := range Persons() {
		out = append(out, Account{UserType: string(identity.Individual), Username: p.IDNumber, Password: Password, Name: p.Name,
			PersonNo: p.Number, Role: string(identity.RoleIndividual), Mobile: mobileOf(p.Number), What: what[p.Number],
			Businesses: businesses[p.Number]})
	}
	for _, u := range Units() {
		if u.CreditCode == "" {
			continue
		}
		out = append(out, Account{UserType: string(identity.Enterprise), Username: accountID(u.Number), Password: Password, Name: u.Name,
			UnitNo: u.Number, Role: string(identity.RoleAgent), Mobile: mobileOf(u.Number), What: "法人用户（单位经办人）",
			Businesses: businesses[u.Number]})
	}
	out = append(out, Account{UserType: string(identity.Enterprise), Username: NewUnitAccount, Password: Password, Name: NewUnitName,
		Role: string(identity.RoleAgent), Mobile: mobileOf(NewUnitAccount), What: "5.9 单位参保登记（尚未参保登记的单位）",
		Businesses: businesses[NewUnitAccount]})
	out = append(out,
		Account{UserType: string(identity.Staff), Username: ReviewerID, Password: Password, Name: "审核员（七台河）", Role: string(identity.RoleReviewer),
			Area: poolingArea, TOTPSecret: ReviewerSecret, Mobile: "19900230999", What: "经办人员：审核七台河统筹区的申请"},
		Account{UserType: string(identity.Staff), Username: Reviewer2ID, Password: Password, Name: "复核员（七台河）", Role: string(identity.RoleReviewer),
			Area: poolingArea, TOTPSecret: Reviewer2Secret, Mobile: "19900230998", What: "经办人员：七台河统筹区的第二审核员（退费、补缴、清欠、待遇补发须两名审核员）"},
		Account{UserType: string(identity.Staff), Username: AdminID, Password: Password, Name: "系统管理员", Role: string(identity.RoleAdmin),
			TOTPSecret: AdminSecret, What: "经办人员：管理经办账号与参考数据"})
	return out
}

// SeedAccounts creates the demo accounts that do not exist yet and returns
// how many it created. Only the local runner calls it.
func SeedAccounts(ctx context.Context, svc *account.Service) (int, error) {
	units := map[string]string{}
	for _, u := range Units() {
		units[u.Number] = u.CreditCode
	}
	created := 0
	for _, d := range Accounts() {
		a := account.Account{Kind: identity.Kind(d.UserType), Username: d.Username, Name: d.Name, Mobile: d.Mobile,
			Roles: []identity.Role{identity.Role(d.Role)}, PersonNumber: d.PersonNo, UnitNumber: d.UnitNo,
			PoolingArea: d.Area, TOTPSecret: d.TOTPSecret}
		if ag, ok := agents[d.UnitNo]; ok {
			a.IDNumber, a.LegalRepName, a.LegalRepID, a.CreditCode = ag.id, ag.rep, ag.repID, units[d.UnitNo]
		}
		if d.Username == NewUnitAccount {
			ag := newUnitAgent
			a.IDNumber, a.LegalRepName, a.LegalRepID, a.CreditCode = ag.id, ag.rep, ag.repID, NewUnitCreditCode
		}
		err := svc.CreateAccount(ctx, a, d.Password)
		switch apperr.CodeOf(err) {
		case "":
			created++
		case apperr.Conflict:
		default:
			return created, fmt.Errorf("demo: account %s: %w", d.UserType, err)
		}
	}
	return created, nil
}

// LegalRep is a demo unit's legal representative, who scans a 法人 login QR
// code with the 电子社保卡 app.
type LegalRep struct {
	Unit, UnitName, Name, IDNumber string
}

// LegalReps lists the legal representatives of the demo units with an
// account.
func LegalReps() []LegalRep {
	var out []LegalRep
	for _, u := range Units() {
		if ag, ok := agents[u.Number]; ok && u.CreditCode != "" {
			out = append(out, LegalRep{Unit: u.Number, UnitName: u.Name, Name: ag.rep, IDNumber: ag.repID})
		}
	}
	return out
}

// AccountOf is the demo account of the person numbered personNo.
func AccountOf(personNo string) (Account, bool) {
	for _, a := range Accounts() {
		if a.PersonNo == personNo {
			return a, true
		}
	}
	return Account{}, false
}
