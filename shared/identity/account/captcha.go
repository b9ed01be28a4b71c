package account

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dchest/captcha"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/identity"
	"github.com/hljhrss/hrss/shared/table"
)

// Captcha sizes and lifetime.
const (
	CaptchaTTL     = 5 * time.Minute
	captchaDigits  = 5
	captchaIDBytes = 15
	captchaWidth   = 200
	captchaHeight  = 70
)

// ErrCaptcha is the answer to a wrong, used or expired captcha.
var ErrCaptcha = apperr.Field("captchaAnswer", "验证码错误或已过期，请刷新验证码后重新输入")

// Captchas issues single-use image captchas that can also be listened to
// (github.com/dchest/captcha draws the digits and speaks them, in Chinese,
// for people who cannot read the image). The digits are kept in the table
// for CaptchaTTL; a captcha is used up by its first check, right or wrong.
type Captchas struct {
	t   table.Store
	clk clock.Clock
}

// NewCaptchas returns the captcha store on t.
func NewCaptchas(t table.Store, clk clock.Clock) *Captchas { return &Captchas{t: t, clk: clk} }

func captchaKey(id string) table.Key { return table.Key{PK: pkCaptcha + id, SK: "CAPTCHA"} }

// New issues a captcha and returns its id.
func (c *Captchas) New(ctx context.Context) (string, error) {
	id := identity.RandomHex(captchaIDBytes)
	digits := captcha.RandomDigits(captchaDigits)
	var answer strings.Builder
	for _, d := range digits {
		answer.WriteByte('0' + d)
	}
	now := c.clk.Now()
	it := table.Item{table.AttrPK: pkCaptcha + id, table.AttrSK: "CAPTCHA", "T": "captcha", "Answer": answer.String(),
		"Expires": now.Add(CaptchaTTL).UnixMilli(), table.AttrTTL: now.Add(CaptchaTTL).Unix(), table.AttrVersion: int64(1)}
	if err := c.t.Put(ctx, it, table.IfAbsent()); err != nil {
		return "", fmt.Errorf("identity: store captcha: %w", err)
	}
	return id, nil
}

// item returns the item of a live captcha.
func (c *Captchas) item(ctx context.Context, id string) (table.Item, error) {
	return liveItem(ctx, c.t, c.clk, id, 2*captchaIDBytes, captchaKey(id), ErrCaptcha)
}

func digitsOf(answer string) []byte {
	out := make([]byte, len(answer))
	for i := range answer {
		out[i] = answer[i] - '0'
	}
	return out
}

// Image returns the captcha drawn as a PNG.
func (c *Captchas) Image(ctx context.Context, id string) ([]byte, error) {
	it, err := c.item(ctx, id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := captcha.NewImage(id, digitsOf(it.String("Answer")), captchaWidth, captchaHeight).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("identity: draw captcha: %w", err)
	}
	return buf.Bytes(), nil
}

// Audio returns the captcha spoken in Chinese, as WAV.
func (c *Captchas) Audio(ctx context.Context, id string) ([]byte, error) {
	it, err := c.item(ctx, id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := captcha.NewAudio(id, digitsOf(it.String("Answer")), "zh").WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("identity: speak captcha: %w", err)
	}
	return buf.Bytes(), nil
}

// Check uses up the captcha and reports whether answer was right
// (ErrCaptcha otherwise). Two concurrent checks of one captcha: one wins,
// the other finds it used.
func (c *Captchas) Check(ctx context.Context, id, answer string) error {
	it, err := c.item(ctx, id)
	if err != nil {
		return err
	}
	if err := c.t.Delete(ctx, captchaKey(id), table.IfVersion(it.Int(table.AttrVersion))); err != nil {
		if errors.Is(err, table.ErrConditionFailed) {
			return ErrCaptcha
		}
		return fmt.Errorf("identity: use captcha: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(answer)), []byte(it.String("Answer"))) != 1 {
		return ErrCaptcha
	}
	return nil
}

// Answer returns a live captcha's answer without using it up: for the
// local runner's test helper only (/_local/captcha/{id}).
func (c *Captchas) Answer(ctx context.Context, id string) (string, error) {
	it, err := c.item(ctx, id)
	if err != nil {
		return "", err
	}
	return it.String("Answer"), nil
}
