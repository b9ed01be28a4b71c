package recordtable

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/ledger"
)

// unitTTL is how long a unit's name and 统一社会信用代码 are reused before the
// profile is read again: the reference data's minute. A unit renamed by a
// 单位信息变更 shows its new name on record tables at most this late; a
// submission (Query.Fresh) always reads the profile.
const unitTTL = time.Minute

// unitCap bounds the cache: when full it is emptied and refilled.
const unitCap = 4096

// unitCache keeps the public profile (name, credit code) of the units
// record tables name, so that reading a record table costs the session and
// the person's partition and not one more read per unit. It holds no
// personal data. A bounded map, not an LRU library: entries expire by the
// service's clock (the tests' frozen or moved clock), which the libraries'
// wall-clock TTLs do not follow.
type unitCache struct {
	mu sync.Mutex
	m  map[string]cachedUnit
}

type cachedUnit struct {
	name, creditCode string
	at               time.Time
}

// unit returns the unit's name and credit code, from the cache when fresh
// enough; an unknown unit (NotFound) gives empty ones and is not cached.
func (s *Service) unit(ctx context.Context, number string, fresh bool) (name, creditCode string, err error) {
	now := s.ledger.Clock().Now()
	if !fresh {
		s.units.mu.Lock()
		c, ok := s.units.m[number]
		s.units.mu.Unlock()
		if ok && now.Sub(c.at) < unitTTL && !now.Before(c.at) {
			return c.name, c.creditCode, nil
		}
	}
	u, err := s.ledger.Unit(ctx, number)
	if errors.Is(err, apperr.E(apperr.NotFound, "")) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	s.remember(number, u, now)
	return u.Name, u.CreditCode, nil
}

func (s *Service) remember(number string, u ledger.Unit, now time.Time) {
	s.units.mu.Lock()
	defer s.units.mu.Unlock()
	if s.units.m == nil || len(s.units.m) >= unitCap {
		s.units.m = make(map[string]cachedUnit)
	}
	s.units.m[number] = cachedUnit{name: u.Name, creditCode: u.CreditCode, at: now}
}
