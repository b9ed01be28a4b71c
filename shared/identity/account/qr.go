package account

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"image/png"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// QRTTL is how long a login QR code can be scanned and confirmed.
const QRTTL = 3 * time.Minute

// QR login states (GET /api/v1/auth/qr/{qrId}).
const (
	QRPending   = "pending"   // shown, not scanned yet
	QRScanned   = "scanned"   // scanned by the 电子社保卡 app, awaiting confirmation on the phone
	QRConfirmed = "confirmed" // confirmed: the next poll logs in (once)
	QRExpired   = "expired"   // timed out, used, or unknown
)

const pkQR = "IDENT#QR#"

// gsiLegalRep indexes enterprise accounts by an HMAC of the legal
// representative's ID number, for 单位法人扫码登录.
const gsiLegalRep = "IDENT#LEGALREP#"

// errQRExpired answers a QR code that cannot be used any more.
var errQRExpired = apperr.E(apperr.NotFound, "二维码已失效，请刷新二维码后重新扫码")

// QR is a login QR code: the content the phone scans and its image.
//
// The code's id is in its content, which anyone who sees the screen can
// read; polling therefore also takes Secret, which only the browser that
// asked for the code holds (in a cookie), so a photo of the code cannot
// take the session its holder confirms.
type QR struct {
	ID      string
	Secret  string // the poller's secret
	Content string // what the QR code encodes
	PNG     []byte
	Expires time.Time
}

func qrSecretHash(secret string) string {
	h := sha256.Sum256([]byte("hrss-qr-poller\x00" + secret))
	return hex.EncodeToString(h[:])
}

// qrIDBytes is the size of a QR code's id and of its poller's secret.
const qrIDBytes = 16

func qrKey(id string) table.Key { return table.Key{PK: pkQR + id, SK: "QR"} }

// StartQR issues a login QR code for individuals (个人 扫码登录, the person
// scans with the 电子社保卡 app) or enterprises (单位法人扫码登录, the legal
// representative scans). content makes what the QR code encodes from its id:
// the scheme of the national platform in production, the local phone page
// on the runner. A code counts against the source address's login
// throttle.
func (s *Service) StartQR(ctx context.Context, kind identity.Kind, content func(id string) (string, error), m Meta) (QR, error) {
	if kind != identity.Individual && kind != identity.Enterprise {
		return QR{}, apperr.Field("userType", "扫码登录适用于个人用户（individual）和法人用户（enterprise）")
	}
	if err := s.throttle.Allow(ctx, m.Address); err != nil {
		return QR{}, err
	}
	q := QR{ID: identity.RandomHex(qrIDBytes), Secret: identity.RandomHex(qrIDBytes), Expires: s.clk.Now().Add(QRTTL)}
	var err error
	if q.Content, err = content(q.ID); err != nil {
		return QR{}, err
	}
	code, err := qr.Encode(q.Content, qr.M, qr.Auto)
	if err != nil {
		return QR{}, fmt.Errorf("account: qr: %w", err)
	}
	if code, err = barcode.Scale(code, 240, 240); err != nil {
		return QR{}, fmt.Errorf("account: qr: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, code); err != nil {
		return QR{}, fmt.Errorf("account: qr: %w", err)
	}
	q.PNG = buf.Bytes()
	it := table.Item{table.AttrPK: pkQR + q.ID, table.AttrSK: "QR", "T": "qr", "Kind": string(kind), "State": QRPending,
		"Poller": qrSecretHash(q.Secret), "Expires": q.Expires.UnixMilli(), table.AttrTTL: q.Expires.Unix(), table.AttrVersion: int64(1)}
	if err := s.accounts.t.Put(ctx, it, table.IfAbsent()); err != nil {
		return QR{}, fmt.Errorf("account: store qr: %w", err)
	}
	return q, nil
}

// qrItem returns a live QR item.
func (s *Service) qrItem(ctx context.Context, id string) (table.Item, error) {
	return liveItem(ctx, s.accounts.t, s.clk, id, 2*qrIDBytes, qrKey(id), errQRExpired)
}

// PollQR tells the state of a QR code to the browser holding its secret.
// Once confirmed, the first poll logs the account in (the QR code is used
// up) and returns the caller and the session token; any later poll says
// expired. A wrong secret is told the code expired.
func (s *Service) PollQR(ctx context.Context, id, secret string, m Meta) (string, identity.Caller, string, error) {
	it, err := s.qrItem(ctx, id)
	if err != nil {
		return QRExpired, identity.Caller{}, "", nil
	}
	if subtle.ConstantTimeCompare([]byte(it.String("Poller")), []byte(qrSecretHash(secret))) != 1 {
		return QRExpired, identity.Caller{}, "", nil
	}
	if it.String("State") != QRConfirmed {
		return it.String("State"), identity.Caller{}, "", nil
	}
	if err := s.accounts.t.Delete(ctx, qrKey(id), table.IfVersion(it.Int(table.AttrVersion))); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return QRExpired, identity.Caller{}, "", nil
		}
		return "", identity.Caller{}, "", fmt.Errorf("account: use qr: %w", err)
	}
	k, ok := accountKeyByID(it.String("Account"))
	if !ok {
		return QRExpired, identity.Caller{}, "", nil
	}
	a, err := s.accounts.get(ctx, k)
	if errors.Is(err, errNoAccount) { // removed since the scan
		return QRExpired, identity.Caller{}, "", nil
	}
	if err != nil {
		return "", identity.Caller{}, "", err
	}
	if a.Status != StatusActive {
		return "", identity.Caller{}, "", apperr.E(apperr.Forbidden, "该账号已停用，请联系经办机构")
	}
	caller := a.Caller(s.keys)
	token, err := s.Sessions.Create(ctx, caller)
	if err != nil {
		return "", identity.Caller{}, "", err
	}
	s.record(ctx, m, a, identity.ActionLogin, "ok-qr")
	return QRConfirmed, caller.WithSession(token), token, nil
}

// ScanQR is the phone's side of a scan: the 电子社保卡 holder with
// idNumber scanned the code. For an individual code the holder's account
// logs in; for an enterprise code, the account of the unit whose legal
// representative the holder is. No such account refuses the scan.
func (s *Service) ScanQR(ctx context.Context, id, idNumber string) error {
	it, err := s.qrItem(ctx, id)
	if err != nil {
		return err
	}
	if it.String("State") != QRPending {
		return apperr.E(apperr.Conflict, "该二维码已被扫描")
	}
	var a Account
	switch identity.Kind(it.String("Kind")) {
	case identity.Individual:
		if a, err = s.accounts.get(ctx, AccountKey(s.keys, identity.Individual, idNumber)); errors.Is(err, errNoAccount) {
			return apperr.E(apperr.NotFound, "该社会保障号尚未注册，请先注册自然人用户")
		}
	case identity.Enterprise:
		a, err = s.unitOfLegalRep(ctx, idNumber)
	}
	if err != nil {
		return err
	}
	it["State"], it["Account"] = QRScanned, a.ID(s.keys)
	return s.advanceQR(ctx, it)
}

// ConfirmQR is the phone's confirmation of a scanned code.
func (s *Service) ConfirmQR(ctx context.Context, id string) error {
	it, err := s.qrItem(ctx, id)
	if err != nil {
		return err
	}
	if it.String("State") != QRScanned {
		return apperr.E(apperr.Conflict, "请先扫描二维码")
	}
	it["State"] = QRConfirmed
	return s.advanceQR(ctx, it)
}

func (s *Service) advanceQR(ctx context.Context, it table.Item) error {
	v := it.Int(table.AttrVersion)
	it[table.AttrVersion] = v + 1
	if err := s.accounts.t.Put(ctx, it, table.IfVersion(v)); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return apperr.E(apperr.Conflict, "二维码状态已变化，请刷新")
		}
		return fmt.Errorf("account: qr: %w", err)
	}
	return nil
}

// unitOfLegalRep is the enterprise account whose legal representative has
// idNumber; none, or several units, refuse the scan.
func (s *Service) unitOfLegalRep(ctx context.Context, idNumber string) (Account, error) {
	page, err := s.accounts.t.Query(ctx, table.Query{Index: table.GSI1, PK: gsiLegalRep + s.keys.Hash("id", idNumber), Limit: 2})
	if err != nil {
		return Account{}, fmt.Errorf("account: legal representative: %w", err)
	}
	switch len(page.Items) {
	case 0:
		return Account{}, apperr.E(apperr.NotFound, "未找到您任法定代表人的法人用户，请先办理法人用户注册")
	case 1:
		return decodeAccount(page.Items[0])
	}
	return Account{}, apperr.E(apperr.Conflict, "您是多个单位的法定代表人，请使用账号ID和密码登录")
}

// QRKind returns the kind of a live QR code (for the phone's page) and its
// state.
func (s *Service) QRKind(ctx context.Context, id string) (identity.Kind, string, error) {
	it, err := s.qrItem(ctx, id)
	if err != nil {
		return "", QRExpired, err
	}
	return identity.Kind(it.String("Kind")), it.String("State"), nil
}
