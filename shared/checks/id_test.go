package checks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hljhrss/hrss/shared/checks"
)

func TestResidentIDGenerated(t *testing.T) {
	r := rng()
	for range 2000 {
		birth := randBirth(r)
		id := genID(t, hljRegions[r.IntN(len(hljRegions))], birth, r.IntN(1000))
		got, p := checks.ResidentID(id, now)
		if p != nil || got != id {
			t.Fatalf("ResidentID(%q) = %q, %v; want it back", id, got, p)
		}
		// Lowercase x and surrounding spaces normalize.
		if _, p := checks.ResidentID(" "+strings.ToLower(id)+" ", now); p != nil {
			t.Fatalf("ResidentID(lower %q): %v", id, p)
		}
		// Every other check character is rejected as a checksum error.
		for _, c := range "0123456789X" {
			if byte(c) == id[17] {
				continue
			}
			bad := id[:17] + string(c)
			if _, p := checks.ResidentID(bad, now); p == nil || p.Code != "id_checksum" {
				t.Fatalf("ResidentID(%q) = %v, want id_checksum", bad, p)
			}
		}
		b, ok := checks.IDBirthDate(id)
		if !ok || !b.Equal(birth) || b.Location() != shanghai {
			t.Fatalf("IDBirthDate(%q) = %v, %v; want %v", id, b, ok, birth)
		}
	}
}

func TestResidentID(t *testing.T) {
	valid15 := "230102690518121" // 15-digit legacy: region, YYMMDD, sequence
	up := genID(t, "230102", time.Date(1969, 5, 18, 0, 0, 0, 0, shanghai), 121)
	todayID := genID(t, "230902", time.Date(2022, 5, 5, 0, 0, 0, 0, shanghai), 1)
	tomorrowID := genID(t, "230902", time.Date(2022, 5, 6, 0, 0, 0, 0, shanghai), 1)
	leapID := genID(t, "231002", time.Date(2000, 2, 29, 0, 0, 0, 0, shanghai), 7)
	withX := findX(t)

	for _, tc := range []struct {
		name, in, want, code, msgHas string
	}{
		// Hand-checked vectors: GB 11643-1999's own examples.
		{name: "standard example X", in: "11010519491231002X", want: "11010519491231002X"},
		{name: "standard example 1880", in: "440524188001010014", want: "440524188001010014"},
		{name: "lowercase x", in: "11010519491231002x", want: "11010519491231002X"},
		{name: "spaces and full-width", in: "１１０１０５ 19491231 002Ｘ", want: "11010519491231002X"},
		{name: "generated with X", in: strings.ToLower(withX), want: withX},
		{name: "15-digit upgrade", in: valid15, want: up},
		{name: "born today", in: todayID, want: todayID},
		{name: "29 February of a leap year", in: leapID, want: leapID},

		// The manual's invalid example: birth date 1988-09-88.
		{name: "manual birth day 88", in: "230402198809880322", code: "id_birth_date", msgHas: "日应在01-31之间"},
		{name: "month 13", in: "230402198813010322", code: "id_birth_date", msgHas: "月应在01-12之间"},
		{name: "day 00", in: "230402198809000322", code: "id_birth_date", msgHas: "日应在01-31之间"},
		{name: "31 April", in: "230402198804310322", code: "id_birth_date", msgHas: "4月只有30天"},
		{name: "29 February 1900", in: "230402190002290322", code: "id_birth_date", msgHas: "2月只有28天"},
		{name: "year 1799", in: "230402179901010322", code: "id_birth_date", msgHas: "早于1800年"},
		{name: "born tomorrow", in: tomorrowID, code: "id_birth_date", msgHas: "晚于今天"},
		{name: "15-digit bad date", in: "230102691318121", code: "id_birth_date"},
		{name: "checksum", in: "110105194912310021", code: "id_checksum", msgHas: "公民身份号码校验位不正确，请核对后重新输入"},
		{name: "17 digits", in: "11010519491231002", code: "id_length", msgHas: "当前为17位"},
		{name: "19 digits", in: "11010519491231002X1", code: "id_length"},
		{name: "16 digits", in: "1101051949123100", code: "id_length"},
		{name: "letter inside", in: "11010519491231A02X", code: "id_chars", msgHas: "第15位“A”"},
		{name: "bad last char", in: "11010519491231002Y", code: "id_chars", msgHas: "“Y”"},
		{name: "Han last char", in: "11010519491231002号", code: "id_chars", msgHas: "“号”"},
		{name: "15 with X", in: "23010269051812X", code: "id_chars"},
		{name: "empty", in: "  ", code: "id_empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, p := checks.ResidentID(tc.in, now)
			if tc.code == "" {
				if p != nil || got != tc.want {
					t.Fatalf("ResidentID(%q) = %q, %v; want %q", tc.in, got, p, tc.want)
				}
				return
			}
			if got != "" {
				t.Errorf("rejected input normalized to %q, want empty", got)
			}
			wantProblem(t, tc.in, p, tc.code)
			if !strings.Contains(p.Message, tc.msgHas) {
				t.Errorf("message %q does not say %q", p.Message, tc.msgHas)
			}
		})
	}
}

// findX generates a valid ID whose check character is X.
func findX(t *testing.T) string {
	t.Helper()
	for seq := range 1000 {
		id := genID(t, "230903", time.Date(1985, 3, 1, 0, 0, 0, 0, shanghai), seq)
		if id[17] == 'X' {
			return id
		}
	}
	t.Fatal("no X in 1000 sequence numbers")
	return ""
}

func TestResidentIDNowInShanghai(t *testing.T) {
	// 2022-05-05 17:00 UTC is already 2022-05-06 in Shanghai: a birth on
	// the 6th is not in the future.
	id := genID(t, "230902", time.Date(2022, 5, 6, 0, 0, 0, 0, shanghai), 1)
	if _, p := checks.ResidentID(id, time.Date(2022, 5, 5, 17, 0, 0, 0, time.UTC)); p != nil {
		t.Fatalf("ResidentID with a UTC now: %v", p)
	}
}

func TestIDCheckChar(t *testing.T) {
	for _, tc := range []struct {
		body string
		want byte
	}{
		{"11010519491231002", 'X'},
		{"44052418800101001", '4'},
		{"1101051949123100", 0},
		{"1101051949123100A", 0},
	} {
		if got := checks.IDCheckChar(tc.body); got != tc.want {
			t.Errorf("IDCheckChar(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestIDBirthDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"11010519491231002X", time.Date(1949, 12, 31, 0, 0, 0, 0, shanghai), true},
		{"11010519491231002x", time.Time{}, false}, // not normalized
		{"110105194912310021", time.Time{}, false}, // bad checksum
		{"230402198809880322", time.Time{}, false}, // day 88
		{"230102690518121", time.Time{}, false},    // 15 digits: upgrade first
		{"", time.Time{}, false},
	} {
		got, ok := checks.IDBirthDate(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("IDBirthDate(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestIDGender(t *testing.T) {
	got := map[string]string{}
	for _, id := range []string{
		"11010519491231002X", // 17th digit 2: female
		"440524188001010014", // 1: male
		"230102690518121",    // 15-digit, last digit 1: male
		"230102690518122",
		"short",
		"1101051949123100AX",
	} {
		got[id] = checks.IDGender(id)
	}
	want := map[string]string{
		"11010519491231002X": "2",
		"440524188001010014": "1",
		"230102690518121":    "1",
		"230102690518122":    "2",
		"short":              "",
		"1101051949123100AX": "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IDGender (-want +got):\n%s", diff)
	}
}

func TestIDRegion(t *testing.T) {
	for in, want := range map[string]string{
		"11010519491231002X": "110105",
		"230102690518121":    "230102",
		"2301":               "",
		"23010A690518121":    "",
	} {
		if got := checks.IDRegion(in); got != want {
			t.Errorf("IDRegion(%q) = %q, want %q", in, got, want)
		}
	}
}
