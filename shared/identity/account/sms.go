package account

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/notify"
	"github.com/hljhrss/hrss/shared/table"
)

// Purposes of an SMS code.
const (
	PurposeRegister = "register"
	PurposeReset    = "reset"
)

// SMS code rules.
const (
	SMSCodeTTL     = 5 * time.Minute
	smsMinInterval = time.Minute
	smsPerDay      = 10
	smsMaxTries    = 5
)

// errSMSCode is the answer to a wrong, used or expired code.
var errSMSCode = apperr.Field("smsCode", "短信验证码错误或已过期，请重新获取")

// SMSCodes issues six-digit codes sent to a mobile number and checks them:
// valid SMSCodeTTL, at most one a minute and ten a day per number, used up
// by a right answer or by the fifth wrong one. Only an HMAC of the code is
// stored, under an HMAC of the number.
type SMSCodes struct {
	t    table.Store
	clk  clock.Clock
	keys *identity.Keys
	out  notify.Sender
}

// NewSMSCodes returns the code store on t, sending through out.
func NewSMSCodes(t table.Store, clk clock.Clock, keys *identity.Keys, out notify.Sender) *SMSCodes {
	return &SMSCodes{t: t, clk: clk, keys: keys, out: out}
}

func (s *SMSCodes) key(mobile, sk string) table.Key {
	return table.Key{PK: pkSMS + s.keys.MobileKey(mobile), SK: sk}
}

func (s *SMSCodes) codeHash(mobile, purpose, code string) string {
	return s.keys.Hash("sms", mobile+"\x00"+purpose+"\x00"+code)
}

// Send issues a code for purpose to mobile (11 digits, normalized by the
// caller) and sends it. Too soon after the last code, or more than ten a
// day, is RateLimited with the wait in the message.
func (s *SMSCodes) Send(ctx context.Context, mobile, purpose string) error {
	if purpose != PurposeRegister && purpose != PurposeReset {
		return apperr.Field("purpose", "用途应为register（注册）或reset（找回密码）")
	}
	now := s.clk.Now()
	sent, sentErr := s.t.Get(ctx, s.key(mobile, "SENT"))
	if sentErr != nil && !errors.Is(sentErr, table.ErrNotFound) {
		return fmt.Errorf("identity: read sms state: %w", sentErr)
	}
	if sentErr == nil {
		if wait := time.UnixMilli(sent.Int("At")).Add(smsMinInterval).Sub(now); wait > 0 {
			return apperr.Later(fmt.Sprintf("验证码发送过于频繁，请%d秒后再试", int(wait.Seconds())+1), wait)
		}
	}
	dayKey := s.key(mobile, "DAY#"+now.In(clock.Shanghai).Format("20060102"))
	day, dayErr := s.t.Get(ctx, dayKey)
	if dayErr != nil && !errors.Is(dayErr, table.ErrNotFound) {
		return fmt.Errorf("identity: read sms state: %w", dayErr)
	}
	count := int64(0)
	dayCond := table.IfAbsent()
	if dayErr == nil {
		count = day.Int("Count")
		dayCond = table.IfVersion(day.Int(table.AttrVersion))
	}
	if count >= smsPerDay {
		return apperr.E(apperr.RateLimited, fmt.Sprintf("该手机号今日获取验证码已达%d次上限，请明日再试", smsPerDay))
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	sentCond := table.IfAbsent()
	var sentVersion int64
	if sentErr == nil {
		sentVersion = sent.Int(table.AttrVersion)
		sentCond = table.IfVersion(sentVersion)
	}
	ck := s.key(mobile, "CODE#"+purpose)
	ops := []table.Op{
		table.Put(table.Item{table.AttrPK: ck.PK, table.AttrSK: ck.SK, "T": "sms", "Hash": s.codeHash(mobile, purpose, code),
			"Expires": now.Add(SMSCodeTTL).UnixMilli(), "Tries": int64(0), table.AttrTTL: now.Add(SMSCodeTTL).Unix(), table.AttrVersion: int64(1)}, table.Cond{}),
		table.Put(table.Item{table.AttrPK: ck.PK, table.AttrSK: "SENT", "T": "sms", "At": now.UnixMilli(),
			table.AttrTTL: now.Add(24 * time.Hour).Unix(), table.AttrVersion: sentVersion + 1}, sentCond),
		table.Put(table.Item{table.AttrPK: dayKey.PK, table.AttrSK: dayKey.SK, "T": "sms", "Count": count + 1,
			table.AttrTTL: now.Add(48 * time.Hour).Unix(), table.AttrVersion: day.Int(table.AttrVersion) + 1}, dayCond),
	}
	if err := s.t.TransactWrite(ctx, ops); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return apperr.E(apperr.RateLimited, "验证码发送过于频繁，请稍后再试")
		}
		return fmt.Errorf("identity: store sms code: %w", err)
	}
	msg := notify.Message{ID: "sms-" + s.keys.MobileKey(mobile)[:16] + fmt.Sprint(now.UnixMilli()), Channel: notify.SMS, To: mobile,
		Body: fmt.Sprintf("【黑龙江人社】您的验证码为%s，%d分钟内有效，用于%s。如非本人操作，请忽略本短信。", code, int(SMSCodeTTL.Minutes()), purposeLabel(purpose))}
	if err := s.out.Send(ctx, msg); err != nil {
		return apperr.Wrap(apperr.Unavailable, "短信发送失败，请稍后重试", err)
	}
	return nil
}

func purposeLabel(p string) string {
	if p == PurposeReset {
		return "找回密码"
	}
	return "用户注册"
}

// Check uses the code for purpose sent to mobile: nil when right (the code
// is then used up), a field error on smsCode otherwise.
func (s *SMSCodes) Check(ctx context.Context, mobile, purpose, code string) error {
	k := s.key(mobile, "CODE#"+purpose)
	it, err := s.t.Get(ctx, k)
	if errors.Is(err, table.ErrNotFound) {
		return errSMSCode
	}
	if err != nil {
		return fmt.Errorf("identity: read sms code: %w", err)
	}
	tries := it.Int("Tries")
	if s.clk.Now().UnixMilli() >= it.Int("Expires") || tries >= smsMaxTries {
		return errSMSCode
	}
	// The try is counted before the code is compared, so that parallel
	// guesses cannot pass smsMaxTries: a guess whose count lost to another
	// is refused uncompared.
	v := it.Int(table.AttrVersion)
	it["Tries"], it[table.AttrVersion] = tries+1, v+1
	if err := s.t.Put(ctx, it, table.IfVersion(v)); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return errSMSCode
		}
		return fmt.Errorf("identity: count sms try: %w", err)
	}
	if hmac.Equal([]byte(it.String("Hash")), []byte(s.codeHash(mobile, purpose, code))) {
		if err := s.t.Delete(ctx, k, table.IfVersion(v+1)); err != nil {
			if errors.Is(err, table.ErrConditionFailed) {
				return errSMSCode
			}
			return fmt.Errorf("identity: use sms code: %w", err)
		}
		return nil
	}
	if left := smsMaxTries - tries - 1; left > 0 {
		return apperr.Field("smsCode", fmt.Sprintf("短信验证码错误，还可尝试%d次", left))
	}
	return apperr.Field("smsCode", "短信验证码错误次数过多，请重新获取")
}
