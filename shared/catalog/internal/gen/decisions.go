package main

// The decisions the manual leaves open, one table each. The generated data
// files carry their outcome; the reasons are written into the data too.

// catalogVersion is the version the data starts at.
const catalogVersion = "2022.05.1"

// indexHeader is the header of data/catalog.yaml: the rules every
// business file follows.
const indexHeader = `The business catalog of hrss: the project's own, versioned reference data.
Loaded at start (package catalog embeds this directory); checked by the
package tests and against shared/spec/businesses.yaml when that is present.
Bump version when any file here changes: the API's ETag is built from it
(and from a digest of the files, so a forgotten bump still changes the ETag).

Source: the user manual of 2022-5-5 (chapters 4 and 5), read through
shared/spec/businesses.yaml. Field keys, business ids, labels and material
names are kept exactly as the spec has them (labels verbatim, typos included).

User type (userType). One per business: the portal that offers 立即办理.
Where the manual lists a business in both portals (4.4, 5.1, 5.5, 5.15) the
chapter that documents the form decides, unless the form itself says
otherwise; each such file says why in userTypeNote.

Materials: required or not (the manual shows no * on any slot, portal.md §7).
  1. The identity document of the person (or legal representative) the
     business is about — 居民身份证正面 and 居民身份证（反面）/反面 — is required:
     the window staff check the applicant against the record with it.
  2. The one document a business cannot be reviewed without is required
     (e.g. 稽核整改意见书 for an audit back-payment, 补缴审核表 for 5.1,
     工商营业执照 for 5.9, 变更后的成立证件 for 5.8).
  3. Evidence that depends on the applicant's reason is a one-of group
     (oneOf: <group>): at least one material of the group must carry a file
     (e.g. 4.12 any one death proof; 4.11 the proof for the termination reason).
     Where the business has a reason with no matching slot at all (4.1, 5.13)
     the evidence stays optional instead.
  4. Everything else is optional: documents only some applicants have
     (外国人护照 / 外国人参保证明 / 居住证 / 刑满释放证明), 其他, 其他相关证明材料.
  5. Businesses whose upload area shows no slot have no materials.
  Upload limits: see upload (defaults; a material may override them).
  A truncated slot label is completed from the narrative where it has the
  full name, else by us (drafted: true); printed keeps the label as shown.

Monthly window (window: monthly-1-25): see windows.

Guides: 4.1's rows are verbatim from the manual (drafted: false); every other
guide is written in the same form and marked drafted: true.

Fields: key, label (verbatim), type, required (a * in at least one
screenshot), enum (a code table of package codetable; region fields use
region, 行政区划代码(公共) uses poolingArea), prefill (from: account = the
logged-in person or unit, person / unit = their records, default = a preset
value that can be changed, derived = computed from another field), readOnly
(always; whenPrefilled = grey once a record value is shown; after:<key> =
grey once <key> has a value), format personName (no digits), min/max/
maxLength/notFuture bounds.
Read-only decision (the manual names grey fields only in 5.9): the login
identity (社会保障号, 单位编号 from the account) is always read-only; in
信息变更 businesses the prefilled values are editable, since they are what
changes, except identity keys (姓名, 证件, 人员编号, 单位名称, 统一社会信用代码 ...),
which only the key-information businesses 4.3 and 5.8 change; any other
value prefilled from a record is whenPrefilled; derived values are always
read-only. The server validates read-only fields like any other; comparing
them with the records is the submitting function's job.
Types: text code date (YYYY-MM-DD or YYYYMMDD) yearMonth (YYYYMM or
YYYY-MM) year month enum money number ratio integer idNumber
socialSecurityNumber mobile phone postcode email bankAccount uscc orgCode
regionCode.
Rules (cross-field): notBefore (field ≥ other), birthDateMatchesID,
genderMatchesID, idNumberByType (the number is checked as a resident ID only
when the ID type is one of values), requiredUnless (fields required unless
when is one of values), sameAs, usccContainsOrgCode; warn: true makes a
rule a warning.`

type userTypeDecision struct {
	userType string
	note     string
}

// userTypeDecisions settle the businesses the manual shows in both lists.
var userTypeDecisions = map[string]userTypeDecision{
	"personal-refund": {"individual", "Also seen in the chapter-5 enterprise list (filter 社会保险), but chapter 5 has no section for it. " +
		"Decision: individual. The form refunds the person's own contributions to the person's own account " +
		"(退费渠道 社保卡金融账户, 银行户名, 银行账号 of the person) after the person ticks 人员信息 and 账号信息."},
	"employee-back-payment": {"enterprise", "Also seen in a chapter-4 individual list (4.9). " +
		"Decision: enterprise. The employer owes and pays both the unit and the personal part (单位应缴金额 + 个人应缴金额) " +
		"and picks the employer row in 单位信息; the business hint points to 5.14, an enterprise business."},
	"employee-arrears-clearance": {"enterprise", "Also seen in chapter-4 individual lists (4.9, 4.23, as 职工欠款清欠). " +
		"Decision: enterprise. Arrears are the unit's debt (单位应缴金额 is charged) and the unit is chosen in 单位信息."},
	"survivor-eligibility-certification": {"enterprise", "Also seen in the 4.15 individual list (filter 社会保险). " +
		"Decision: enterprise, as chapter 5 documents it. The form needs unit-side fields an individual cannot know " +
		"(模块编号*, 行政区划代码(公共)*, 单位名称 from the unit); individuals certify retirees through 4.2."},
}

// extraCategories add 业务类别 values beyond the spec's single one.
var extraCategories = map[string][]string{
	// The spec's alt: 人脸认证 is also a category; certification is what face recognition is for.
	"retiree-eligibility-certification": {"人脸认证"},
}

// familyBasis is the drafted 设定依据 of each family.
var familyBasis = map[string][]string{
	"flexible-employment": {
		"《中华人民共和国社会保险法》第十条。",
		"《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）。",
	},
	"contributions-and-arrears": {
		"《中华人民共和国社会保险法》第六十条、第六十三条。",
		"《社会保险费征缴暂行条例》（国务院令第259号）。",
	},
	"retirement-benefits": {
		"《中华人民共和国社会保险法》第十六条。",
		"《国务院关于建立统一的企业职工基本养老保险制度的决定》（国发〔1997〕26号）。",
		"《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）。",
	},
	"survivor-benefits": {
		"《中华人民共和国社会保险法》第十七条。",
	},
	"certification": {
		"《中华人民共和国社会保险法》第十六条。",
		"《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）。",
	},
	"personal-info": {
		"《中华人民共和国社会保险法》第七十四条。",
		"《社会保险个人权益记录管理办法》（人力资源社会保障部令第14号）。",
	},
	"enterprise-registration": {
		"《中华人民共和国社会保险法》第五十七条。",
		"《社会保险登记管理暂行办法》（劳动和社会保障部令第1号）。",
		"《社会保险费征缴暂行条例》（国务院令第259号）。",
	},
	"employee-enrolment": {
		"《中华人民共和国社会保险法》第五十八条。",
		"《社会保险费征缴暂行条例》（国务院令第259号）。",
	},
}

// extraBasis replaces the family's basis where a business has its own.
var extraBasis = map[string][]string{
	"in-service-pension-account-refund": {
		"《中华人民共和国社会保险法》第十四条。",
		"《国务院关于建立统一的企业职工基本养老保险制度的决定》（国发〔1997〕26号）。",
	},
	"employee-arrears-clearance": {
		"《中华人民共和国社会保险法》第六十三条、第八十六条。",
		"《社会保险费征缴暂行条例》（国务院令第259号）。",
	},
	"retiree-benefit-terminate": {
		"《中华人民共和国社会保险法》第十六条、第十七条。",
		"《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）。",
	},
	"retiree-benefit-terminate-enterprise": {
		"《中华人民共和国社会保险法》第十六条、第十七条。",
		"《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）。",
	},
}

// conditions are the drafted 受理条件 (the manual shows only 4.1's).
var conditions = map[string]string{
	"retiree-eligibility-certification":          "按月领取企业职工基本养老保险待遇的离退休人员，每年需进行一次待遇领取资格认证；可通过人脸认证或经办机构窗口等渠道认证，未按期认证的将暂停发放待遇。",
	"personal-key-info-change":                   "参保人员的姓名、性别、证件号码、出生日期、参加工作日期、个人参保日期等关键信息与公安户籍信息或原始档案不一致，需要更正时，申请办理此项业务。",
	"personal-refund":                            "参保人员因多重账户清理、解除劳动关系后重复缴费、刑满释放等原因存在多缴、误缴的社会保险费，需要退还时，申请办理此项业务。",
	"retiree-benefit-suspend":                    "企业离退休人员因未提供生存证明、被判刑收监执行、失踪等原因需要暂停发放基本养老金时，申请办理此项业务。",
	"employee-base-adjustment-back-payment":      "经稽核或人社行政部门认定，职工以往所属期的缴费基数低于应缴基数，需要按调整后的基数补缴差额（含利息）时，申请办理此项业务。",
	"personal-basic-info-change":                 "参保人员的婚姻状况、民族、学历、户口性质、户口所在地址、联系电话、地址等基本信息发生变化，需要更新时，申请办理此项业务。",
	"survivor-info-change":                       "领取遗属待遇的供养亲属的供养原因、供养关系、待遇享受比例等信息发生变化或登记有误，需要修改时，申请办理此项业务。",
	"employee-rate-adjustment-back-payment":      "经稽核或人社行政部门认定，职工以往所属期的缴费比例低于规定比例，需要按规定比例补缴差额（含利息）时，申请办理此项业务。",
	"survivor-benefit-resume":                    "因未提供生存证明等原因被暂停发放遗属待遇的供养亲属，暂停原因消除后需要恢复发放待遇时，申请办理此项业务。",
	"retiree-benefit-terminate":                  "离退休人员死亡、出国（境）定居或丧失待遇领取资格，需要终止发放基本养老金时，由本人、继承人或其他领取人申请办理此项业务。",
	"in-service-pension-account-refund":          "参加企业职工基本养老保险的在职人员死亡后，其个人账户余额可以依法继承；继承人或其他领取人申请返还个人账户余额时，办理此项业务。",
	"retiree-payment-info-maintenance":           "离退休人员的待遇发放方式、社会保障卡、银行账户或领取人等发放信息发生变化，需要变更时，申请办理此项业务。",
	"retiree-benefit-resume":                     "被暂停发放基本养老金的企业离退休人员，完成资格认证、刑满释放或重新取得联系等暂停原因消除后，需要恢复发放时，申请办理此项业务。",
	"survivor-benefit-suspend":                   "领取遗属待遇的供养亲属未按规定提供生存证明或出现其他暂不符合领取条件的情形，需要暂停发放待遇时，申请办理此项业务。",
	"flexible-employment-contribution-setting":   "以灵活就业人员身份参加企业职工基本养老保险的人员，需要设置或变更本人缴费档次时，申请办理此项业务。",
	"flexible-employment-continue-insurance":     "曾参加企业职工基本养老保险、现已中断缴费的人员，以灵活就业人员身份继续参保缴费时，申请办理此项业务。",
	"flexible-employment-enrol":                  "无雇工的个体工商户、未在用人单位参加基本养老保险的非全日制从业人员以及其他灵活就业人员，首次以灵活就业人员身份参加企业职工基本养老保险时，申请办理此项业务。",
	"survivor-benefit-terminate":                 "领取遗属待遇的供养亲属死亡、再婚、被他人收养、就业或超过规定年龄等不再符合领取条件，需要终止发放待遇时，申请办理此项业务。",
	"benefit-payment-return":                     "已发放的养老保险待遇因多发、错发等原因需要退回或重新发放（待遇退发）时，申请办理此项业务。",
	"retiree-benefit-back-pay":                   "离退休人员因待遇核定、核改或年度调整等原因存在少发、漏发的基本养老金，需要补发时，申请办理此项业务。",
	"retirement-qualification-admin-revision":    "已办理退休的人员，其退休资格、退休类别或退休日期经人社行政部门认定需要改批时，申请办理此项业务。",
	"in-service-admin-determination":             "在职参保人员的个人参保日期、首次参保年月、参加工作日期、视同缴费月数等需要经人社行政部门认定时，申请办理此项业务。",
	"flexible-employment-retirement-application": "以灵活就业人员身份参保的人员，达到法定退休年龄且累计缴费满十五年，申请按月领取基本养老金时，办理此项业务。",
	"flexible-employment-due-assessment":         "以灵活就业人员身份参保的人员，按本人缴费档次核定应缴费款所属期及应缴金额后缴费时，申请办理此项业务。",
	"flexible-employment-due-assessment-revoke":  "灵活就业人员已核定但尚未缴费的应缴记录需要撤销（如核定有误或变更缴费档次）时，申请办理此项业务。",
	"survivor-benefit-back-pay":                  "领取遗属待遇的供养亲属因待遇新增、恢复或核定调整等原因存在少发、漏发待遇，需要补发时，申请办理此项业务。",
	"employee-back-payment":                      "用人单位未按时为职工缴纳基本养老保险费，经核实需要补缴以往所属期的单位和个人缴费（含利息）时，由单位申请办理此项业务；可以补缴旧单位的欠费记录。补缴前须先变更对应所属期的缴费基数。",
	"unit-wage-declaration":                      "用人单位按年度申报本单位职工工资（缴费工资），作为缴费基数核定依据时，办理此项业务。",
	"retirement-application":                     "用人单位职工达到法定退休年龄（或符合因病提前退休条件）且累计缴费满十五年，由单位申请办理退休并核定基本养老金时，办理此项业务。",
	"unit-insurance-info-change":                 "用人单位的单位类型、参保状态、缴费状态、征缴方式等参保登记信息发生变化，需要变更时，申请办理此项业务。",
	"employee-arrears-clearance":                 "用人单位存在欠缴的职工社会保险费，需要缴清欠费时，申请办理此项业务；可以清缴旧单位的欠费记录。",
	"retiree-benefit-terminate-enterprise":       "单位所属离退休人员死亡、出国（境）定居等原因需要终止发放基本养老金时，由单位申请办理此项业务。",
	"unit-general-info-maintenance":              "用人单位的经济类型、隶属关系、所属行业、主管部门、批准成立信息等一般登记信息发生变化，需要维护时，申请办理此项业务。",
	"unit-key-info-maintenance":                  "用人单位的单位名称、统一社会信用代码、法定代表人等关键登记信息发生变化，需要变更时，申请办理此项业务。",
	"unit-enrol":                                 "用人单位应当自成立之日起三十日内申请办理社会保险登记；首次参保的单位申请办理此项业务。",
	"unit-deregister":                            "用人单位依法终止（注销、吊销、撤销）或不再参加社会保险，需要注销社会保险登记时，申请办理此项业务。",
	"employee-enrol":                             "用人单位应当自用工之日起三十日内为其职工申请办理社会保险登记；为新招用职工参保时，申请办理此项业务。",
	"employee-contribution-resume":               "暂停缴费的职工重新在本单位就业或暂停原因消除，需要恢复缴费时，由单位申请办理此项业务。",
	"employee-contribution-suspend":              "职工因解除劳动关系、跨制度转出、失踪、上学、参军、服刑等原因需要暂停缴费时，由单位申请办理此项业务。",
	"employee-base-change":                       "职工的缴费工资（缴费基数）申报有误或发生变化，需要变更对应所属期缴费基数时，由单位申请办理此项业务。",
	"survivor-eligibility-certification":         "领取遗属待遇的供养亲属每年需进行一次待遇领取资格认证，由所在单位通过经办机构窗口等渠道办理。",
}

type materialDecision struct {
	required bool
	oneOf    string
	note     string
}

var (
	req = materialDecision{required: true}
	opt = materialDecision{}
)

func one(group, note string) materialDecision { return materialDecision{oneOf: group, note: note} }
func optNote(note string) materialDecision    { return materialDecision{note: note} }
func reqNote(note string) materialDecision    { return materialDecision{required: true, note: note} }

// materialDecisions override defaultMaterial per business, keyed by the
// spec's material name.
var materialDecisions = map[string]map[string]materialDecision{
	"flexible-employment-suspend": {
		"上学证明材料": optNote("暂停原因为上学时上传。"),
		"参军证明":   optNote("暂停原因为参军时上传。"),
	},
	"personal-key-info-change": {
		"居民身份证（户口簿）":    optNote("户籍信息变更时上传户口簿相关页。"),
		"公安户籍部门出具的变...": one("evidence", "修改姓名、性别、证件号码、出生日期时上传（与情况说明任选其一）。"),
		"相关责任部门、参保单...": one("evidence", "修改参加工作日期、个人参保日期时上传（与户籍变更手续任选其一）。"),
	},
	"personal-refund": {
		"解除劳动合同证明书": optNote("按退费原因上传。"),
		"转移手续":      optNote("按退费原因上传。"),
		"刑满释放证明":    optNote("按退费原因上传。"),
		"银行卡":       one("refundAccount", "退费到账账户的证明，银行卡与银行存折任选其一。"),
		"银行存折":      one("refundAccount", "退费到账账户的证明，银行卡与银行存折任选其一。"),
	},
	"employee-base-adjustment-back-payment": {
		"稽核整改意见书":     req,
		"人社行政部门出具的批件": opt,
		"地税机关出具的稽核材料": opt,
	},
	"personal-basic-info-change": {
		"个人信息拟修改内容的...": req,
	},
	"employee-rate-adjustment-back-payment": {
		"稽核整改意见书":     req,
		"人社行政部门出具的批件": opt,
		"地税机关出具的稽查材料": opt,
	},
	"retiree-benefit-terminate": {
		"外国人护照":   one("terminationProof", "按终止原因上传其一。"),
		"户口销户证明":  one("terminationProof", "按终止原因上传其一。"),
		"人员增减变动表": one("terminationProof", "按终止原因上传其一。"),
		"外国人参保证明": one("terminationProof", "按终止原因上传其一。"),
	},
	"in-service-pension-account-refund": {
		"居民死亡医学证明书": one("deathProof", "死亡证明任选其一。"),
		"居民死亡殡葬证明":  one("deathProof", "死亡证明任选其一。"),
		"户口销户证明":    one("deathProof", "死亡证明任选其一。"),
		"领取人银行信息":   req,
		"领取人关系证明":   reqNote("领取人为继承人或其他人时证明与死者的关系。"),
	},
	"retiree-benefit-resume": {
		"异地居住人员领取社会...": one("resumeProof", "按暂停原因上传其一。"),
		"黑龙江省离退休人员上...": one("resumeProof", "按暂停原因上传其一。"),
		"法院判决书":         one("resumeProof", "按暂停原因上传其一。"),
		"养老保险关系终止证明":    one("resumeProof", "按暂停原因上传其一。"),
	},
	"flexible-employment-continue-insurance": {
		"外国人护照":      one("identity", "身份证明：居民身份证正反面或外国人护照。"),
		"居民身份证正面":    one("identity", "身份证明：居民身份证正反面或外国人护照。"),
		"居民身份证（反面）":  one("identity", "身份证明：居民身份证正反面或外国人护照。"),
		"居民身份证（户口簿）": opt,
		"劳动用工合同":     opt,
		"居住证":        optNote("外省户籍人员上传。"),
		"其他相关证明材料":   opt,
	},
	"flexible-employment-enrol": {
		"外省户籍人员在我省灵...": optNote("外省户籍人员必须上传。"),
	},
	"retiree-benefit-back-pay": {
		"黑龙江省参加基本养老...": one("approvalForm", "上传对应的核定表其一。"),
		"参加基本养老保险人员...": one("approvalForm", "上传对应的核定表其一。"),
		"金保系统上线前退休人...": one("approvalForm", "上传对应的核定表其一。"),
		"离退休人员养老全年度...": one("approvalForm", "上传对应的核定表其一。"),
		"其他相关证明材料":      opt,
	},
	"employee-back-payment": {
		"个人补缴业务委托(或承诺书)":      req,
		"黑龙江省参加基本养老保险人员补缴审核表": req,
		"劳动用工合同":              one("employmentProof", "补缴期间劳动关系的证明，任选其一。"),
		"劳动合同电子备案表":           one("employmentProof", "补缴期间劳动关系的证明，任选其一。"),
		"工资表原件":               one("employmentProof", "补缴期间劳动关系的证明，任选其一。"),
		"具有法律效力证明":            one("employmentProof", "补缴期间劳动关系的证明，任选其一。"),
	},
	"unit-wage-declaration": {
		"职工个人缴费工资申报...": req,
		"劳动工资统计年报表及...": opt,
		"单位职工工资申报汇总表":   req,
		"福利待遇发放明细":      opt,
	},
	"unit-insurance-info-change": {
		"注销、吊销通知或...": optNote("单位参保状态变更为注销、吊销时上传。"),
	},
	"retiree-benefit-terminate-enterprise": {
		"外国人护照":   one("terminationProof", "按终止原因上传其一。"),
		"户口销户证明":  one("terminationProof", "按终止原因上传其一。"),
		"人员增减变动表": one("terminationProof", "按终止原因上传其一。"),
		"外国人参保证明": one("terminationProof", "按终止原因上传其一。"),
	},
	"unit-general-info-maintenance": {
		"法人居民身份证（...": optNote("变更法定代表人相关信息时上传。"),
		"变更后的成立证件...": optNote("变更批准成立信息时上传。"),
	},
	"unit-key-info-maintenance": {
		"变更后的成立证件...":  req,
		"法人居民身份证 (...": req,
	},
	"unit-enrol": {
		"工商营业执照":    req,
		"居民身份证正面":   one("legalRepIdentity", "法定代表人身份证明：居民身份证正反面或外国人护照。"),
		"居民身份证（反面）": one("legalRepIdentity", "法定代表人身份证明：居民身份证正反面或外国人护照。"),
		"外国人护照":     one("legalRepIdentity", "法定代表人身份证明：居民身份证正反面或外国人护照。"),
		"其他":        opt,
	},
	"employee-enrol": {
		"劳动用工合同":  req,
		"人员增减变动表": req,
		"外国人参保证明": optNote("外籍职工上传。"),
	},
	"employee-contribution-resume": {
		"其他":        opt,
		"外国人护照":     one("identity", "身份证明：居民身份证正反面或外国人护照。"),
		"劳动用工合同":    one("employmentProof", "劳动用工合同与用工证明任选其一。"),
		"居民身份证（反面）": one("identity", "身份证明：居民身份证正反面或外国人护照。"),
		"用工证明":      one("employmentProof", "劳动用工合同与用工证明任选其一。"),
		"居民身份证正面":   one("identity", "身份证明：居民身份证正反面或外国人护照。"),
	},
	"employee-contribution-suspend": {
		"经劳动部门认定的...": optNote("按暂停原因上传。"),
		"失踪证明材料":      optNote("按暂停原因上传。"),
		"上学证明材料":      optNote("按暂停原因上传。"),
		"参军证明":        optNote("按暂停原因上传。"),
		"劳改劳教证明材料":    optNote("按暂停原因上传。"),
	},
}

// completedNames complete truncated slot labels that the narrative does
// not spell out (drafted: true in the data).
var completedNames = map[string]string{
	"个人信息拟修改内容的...": "个人信息拟修改内容的说明",
	"职工个人缴费工资申报...": "职工个人缴费工资申报表",
	"劳动工资统计年报表及...": "劳动工资统计年报表及工资发放明细",
	"注销、吊销通知或...":   "注销、吊销通知或相关证明材料",
	"法人居民身份证（...":   "法人居民身份证（正反面）",
	"法人居民身份证 (...":  "法人居民身份证（正反面）",
	"变更后的成立证件...":   "变更后的成立证件（营业执照或批准成立文件）",
	"经劳动部门认定的...":   "经劳动部门认定的解除劳动关系证明材料",
}

// addedMaterials are upload slots the spec lists outside materials.
var addedMaterials = map[string][]outMaterial{
	// 5.2 上传文档 / 缴费申报文件: the edited wage ZIP (portal.md §8).
	"unit-wage-declaration": {{
		Name: "缴费申报文件", Required: true,
		Types: []string{"application/zip", "application/x-zip-compressed"}, MaxBytes: 10 << 20, MaxFiles: 1,
		Note: "上传文档：下载“文档材料”中的 ZIP 文件，修改人员工资信息并保存后上传。",
	}},
}

// ledgerSums are the flat columns each ledger total adds up, in the order
// of the spec's totals (spec/portal.md §11: amount + interest of the due
// parts; the 划入个人账户 columns are not added).
var ledgerSums = map[string][][]string{
	"personal-refund":                           {{"个人实缴.金额", "个人实缴.利息"}},
	"employee-base-adjustment-back-payment":     {{"个人应缴.金额", "个人应缴.利息", "单位应缴.金额", "单位应缴.利息"}},
	"employee-rate-adjustment-back-payment":     {{"个人应缴.金额", "个人应缴.利息", "单位应缴金额.金额", "单位应缴金额.利息"}},
	"flexible-employment-due-assessment":        {{"个人缴费金额"}},
	"flexible-employment-due-assessment-revoke": {{"个人应缴金额"}},
	"employee-back-payment": {
		{"单位应缴金额.金额", "单位应缴金额.利息"},
		{"个人应缴金额.金额", "个人应缴金额.利息"},
		{"单位应缴金额.金额", "单位应缴金额.利息", "个人应缴金额.金额", "个人应缴金额.利息"},
	},
	"employee-arrears-clearance": {
		{"单位应缴金额.金额", "单位应缴金额.利息"},
		{"个人应缴金额.金额", "个人应缴金额.利息"},
		{"单位应缴金额.金额", "单位应缴金额.利息", "个人应缴金额.金额", "个人应缴金额.利息"},
	},
}

// pinyinInitial maps each character of the 42 business names to the
// initial of its reading in those names (行 as in 行政, 调 as in 调整,
// 还 as in 返还).
var pinyinInitial = map[rune]byte{
	'一': 'Y', '业': 'Y', '个': 'G', '人': 'R', '以': 'Y', '份': 'F', '企': 'Q', '休': 'X', '位': 'W', '例': 'L',
	'供': 'G', '保': 'B', '信': 'X', '修': 'X', '停': 'T', '关': 'G', '养': 'Y', '单': 'D', '参': 'C', '发': 'F',
	'取': 'Q', '变': 'B', '员': 'Y', '在': 'Z', '基': 'J', '复': 'F', '定': 'D', '就': 'J', '属': 'S', '工': 'G',
	'应': 'Y', '待': 'D', '恢': 'H', '息': 'X', '户': 'H', '批': 'P', '护': 'H', '报': 'B', '撤': 'C', '改': 'G',
	'放': 'F', '政': 'Z', '数': 'S', '整': 'Z', '暂': 'Z', '更': 'G', '本': 'B', '核': 'H', '格': 'G', '欠': 'Q',
	'止': 'Z', '比': 'B', '注': 'Z', '活': 'H', '清': 'Q', '灵': 'L', '申': 'S', '离': 'L', '终': 'Z', '续': 'X',
	'维': 'W', '缴': 'J', '置': 'Z', '老': 'L', '职': 'Z', '般': 'B', '行': 'X', '补': 'B', '认': 'R', '设': 'S',
	'证': 'Z', '请': 'Q', '调': 'T', '账': 'Z', '费': 'F', '资': 'Z', '身': 'S', '返': 'F', '还': 'H', '退': 'T',
	'遇': 'Y', '遗': 'Y', '销': 'X', '键': 'J', '领': 'L',
}
