package checks_test

import (
	"testing"

	"github.com/hljhrss/hrss/shared/checks"
)

func BenchmarkResidentID(b *testing.B) {
	ids := []string{"11010519491231002X", "11010519491231002x", "230102690518121", "230402198809880322"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = checks.ResidentID(ids[i%len(ids)], now)
	}
}

func BenchmarkCreditCode(b *testing.B) {
	codes := []string{"91350100M000100Y43", "91110000802100433b", "91110000802100433C"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = checks.CreditCode(codes[i%len(codes)])
	}
}

func BenchmarkOrgCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = checks.OrgCode("11111111-7")
	}
}
