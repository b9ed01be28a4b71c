// Package codetable holds the code tables of hrss (民族, 性别, 证件类型,
// 行政区划, the portal's pooling areas, every dropdown of the manual's
// forms, ...) as versioned data: one YAML file per table under data/,
// embedded in the binary and parsed at start. Each table names its source
// (a national standard, a MOHRSS code set or the manual's section) and says
// where it was completed beyond what the manual shows.
//
// Table names are the enum keys of the business specification's
// enum_catalog (camelCase, e.g. ethnicity, idType), plus region
// (Heilongjiang's GB/T 2260 divisions), poolingArea (the portal's own
// pooling-area codes such as 230999, which are not GB/T 2260 codes) and the
// service-centre filters.
//
// Invariants checked by Load: table names are unique and match their file
// names; every table has a label, a version, a source and at least one
// entry; codes are unique within a table; labels (compared after
// NormalizeLabel) are unique among a table's current entries, per parent in
// hierarchical tables; every parent exists in its table. Deprecated entries
// (older division codes) stay valid: Has and Lookup find them.
//
// Access patterns: Default() once at start, then Table(name) and
// Lookup/Has/ByLabel/Children per request; Version() is the ETag of the
// whole set. Everything is read-only after Load and safe for concurrent use.
package codetable

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode"

	"gopkg.in/yaml.v3"
)

//go:embed data/*.yaml
var embedded embed.FS

// Entry is one code of a table.
type Entry struct {
	Code       string // the stored value, e.g. "01", "230113"
	Label      string // the Chinese label shown in dropdowns, e.g. 汉族
	Parent     string // parent code in hierarchical tables (divisions, industries); "" at the top
	Deprecated bool   // an older code that stays valid for existing records but is not offered for new input
}

// Table is one code table.
type Table struct {
	Name    string  // the spec's enum key, e.g. "ethnicity"
	LabelZh string  // the field label, e.g. 民族
	Version string  // the table's data version
	Source  string  // where the codes come from and how complete they are
	From    string  // when set, the entries are those of the named table (e.g. legalRepIdType from idType)
	Entries []Entry // in display order

	byCode   map[string]int
	byLabel  map[string]int // normalized label or alias → index, current entries first
	aliases  map[string][]string
	inferred map[string]bool
}

// Lookup returns the entry with the given code, deprecated or not.
func (t *Table) Lookup(code string) (Entry, bool) {
	if t.byCode != nil {
		i, ok := t.byCode[code]
		if !ok {
			return Entry{}, false
		}
		return t.Entries[i], true
	}
	for _, e := range t.Entries {
		if e.Code == code {
			return e, true
		}
	}
	return Entry{}, false
}

// Has reports whether code is in the table (deprecated codes included).
func (t *Table) Has(code string) bool {
	_, ok := t.Lookup(code)
	return ok
}

// ByLabel returns the entry whose label, or one of whose aliases, equals
// label after NormalizeLabel (so 居民身份证(户口簿), 居民身份证（户口簿）
// and 居民身份证 (户口簿) are the same label). A current entry wins over a
// deprecated one; in hierarchical tables, where siblings under different
// parents may share a label (佳木斯 and 鹤岗 both have a 向阳区), the first
// in display order wins: use Children to resolve under a parent.
func (t *Table) ByLabel(label string) (Entry, bool) {
	n := NormalizeLabel(label)
	if t.byLabel != nil {
		i, ok := t.byLabel[n]
		if !ok {
			return Entry{}, false
		}
		return t.Entries[i], true
	}
	var found *Entry
	for i, e := range t.Entries {
		if NormalizeLabel(e.Label) == n && (found == nil || found.Deprecated && !e.Deprecated) {
			found = &t.Entries[i]
		}
	}
	if found == nil {
		return Entry{}, false
	}
	return *found, true
}

// Children returns the current (not deprecated) entries whose parent is
// code, in display order; Children("") returns the top level.
func (t *Table) Children(code string) []Entry {
	var out []Entry
	for _, e := range t.Entries {
		if e.Parent == code && !e.Deprecated {
			out = append(out, e)
		}
	}
	return out
}

// Current returns the entries offered for new input (not deprecated).
func (t *Table) Current() []Entry {
	var out []Entry
	for _, e := range t.Entries {
		if !e.Deprecated {
			out = append(out, e)
		}
	}
	return out
}

// Aliases returns the other spellings ByLabel accepts for code (the full
// name in a standard, a variant printed in the manual), or nil.
func (t *Table) Aliases(code string) []string { return slices.Clone(t.aliases[code]) }

// Inferred reports whether the entry for code is not confirmed by the
// manual or a standard but inferred (its Source says from what). Forms may
// accept it; reviewers should confirm it against the provincial code list.
func (t *Table) Inferred(code string) bool { return t.inferred[code] }

// NormalizeLabel is the form labels are compared in: white space removed
// (the manual's OCR inserts spaces: 居民身份证 (户口簿)), full-width ASCII
// folded to half-width (（）→ ()).
func NormalizeLabel(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		}
		return r
	}, s)
}

// Set is every code table.
type Set struct {
	tables  map[string]*Table
	names   []string
	version string
}

// Table returns the named table.
func (s *Set) Table(name string) (*Table, bool) {
	t, ok := s.tables[name]
	return t, ok
}

// Names returns the table names, sorted.
func (s *Set) Names() []string { return slices.Clone(s.names) }

// Version is a hash of all data files: it changes whenever any table
// changes, so it serves as the ETag of code-table responses.
func (s *Set) Version() string { return s.version }

// Load parses and validates the embedded tables.
func Load() (*Set, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, fmt.Errorf("codetable: %w", err)
	}
	return LoadFS(sub)
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
)

// Default returns the embedded tables, loaded once. It panics if the
// embedded data is invalid: that is a build defect, caught by this
// package's tests.
func Default() *Set {
	defaultOnce.Do(func() { defaultSet = mustLoad(Load) })
	return defaultSet
}

func mustLoad(load func() (*Set, error)) *Set {
	s, err := load()
	if err != nil {
		panic(fmt.Sprintf("codetable: invalid embedded data: %v", err))
	}
	return s
}

// file is the YAML form of a table.
type file struct {
	Name    string      `yaml:"name"`
	LabelZh string      `yaml:"label_zh"`
	Version string      `yaml:"version"`
	Source  string      `yaml:"source"`
	From    string      `yaml:"entries_from"`
	Entries []fileEntry `yaml:"entries"`
}

type fileEntry struct {
	Code       string   `yaml:"code"`
	Label      string   `yaml:"label"`
	Parent     string   `yaml:"parent"`
	Deprecated bool     `yaml:"deprecated"`
	Aliases    []string `yaml:"aliases"`
	Inferred   bool     `yaml:"inferred"`
	Note       string   `yaml:"note"`
}

// LoadFS parses and validates every *.yaml file at the root of fsys, one
// table per file named after the table (ethnicity.yaml holds ethnicity).
func LoadFS(fsys fs.FS) (*Set, error) {
	paths, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("codetable: %w", err)
	}
	if len(paths) == 0 {
		return nil, errors.New("codetable: no data files")
	}
	slices.Sort(paths)
	s := &Set{tables: map[string]*Table{}}
	h := sha256.New()
	files := map[string]*file{}
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("codetable: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
		f, err := parse(b)
		if err != nil {
			return nil, fmt.Errorf("codetable: %s: %w", p, err)
		}
		if want := strings.TrimSuffix(path.Base(p), ".yaml"); f.Name != want {
			return nil, fmt.Errorf("codetable: %s: table name %q does not match the file name", p, f.Name)
		}
		if _, dup := files[f.Name]; dup {
			return nil, fmt.Errorf("codetable: %s: duplicate table %q", p, f.Name)
		}
		files[f.Name] = f
		s.names = append(s.names, f.Name)
	}
	s.version = hex.EncodeToString(h.Sum(nil))[:16]
	slices.Sort(s.names)
	for _, name := range s.names {
		f := files[name]
		entries := f.Entries
		if f.From != "" {
			src, ok := files[f.From]
			switch {
			case !ok:
				return nil, fmt.Errorf("codetable: %s: entries_from unknown table %q", name, f.From)
			case src.From != "":
				return nil, fmt.Errorf("codetable: %s: entries_from %q, which itself borrows its entries", name, f.From)
			case len(f.Entries) > 0:
				return nil, fmt.Errorf("codetable: %s: has both entries and entries_from", name)
			}
			entries = src.Entries
		}
		t, err := build(f, entries)
		if err != nil {
			return nil, fmt.Errorf("codetable: %s: %w", name, err)
		}
		s.tables[name] = t
	}
	return s, nil
}

func parse(b []byte) (*file, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document")
	}
	for field, v := range map[string]string{"name": f.Name, "label_zh": f.LabelZh, "version": f.Version, "source": f.Source} {
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("missing %s", field)
		}
	}
	if len(f.Entries) == 0 && f.From == "" {
		return nil, errors.New("no entries")
	}
	return &f, nil
}

func build(f *file, entries []fileEntry) (*Table, error) {
	t := &Table{
		Name: f.Name, LabelZh: f.LabelZh, Version: f.Version, Source: strings.TrimSpace(f.Source), From: f.From,
		byCode: map[string]int{}, byLabel: map[string]int{}, aliases: map[string][]string{}, inferred: map[string]bool{},
	}
	type key struct{ parent, label string }
	seen := map[key]string{} // current labels and aliases → code
	for i, fe := range entries {
		if fe.Code == "" || fe.Label == "" {
			return nil, fmt.Errorf("entry %d: empty code or label", i+1)
		}
		if strings.TrimSpace(fe.Code) != fe.Code {
			return nil, fmt.Errorf("code %q has surrounding spaces", fe.Code)
		}
		if _, dup := t.byCode[fe.Code]; dup {
			return nil, fmt.Errorf("duplicate code %q", fe.Code)
		}
		t.byCode[fe.Code] = i
		t.Entries = append(t.Entries, Entry{Code: fe.Code, Label: fe.Label, Parent: fe.Parent, Deprecated: fe.Deprecated})
		if len(fe.Aliases) > 0 {
			t.aliases[fe.Code] = fe.Aliases
		}
		if fe.Inferred {
			t.inferred[fe.Code] = true
		}
		for _, l := range append([]string{fe.Label}, fe.Aliases...) {
			n := NormalizeLabel(l)
			if !fe.Deprecated {
				k := key{fe.Parent, n}
				if other, dup := seen[k]; dup {
					return nil, fmt.Errorf("label %q of code %q is also the label of %q", l, fe.Code, other)
				}
				seen[k] = fe.Code
			}
			if j, taken := t.byLabel[n]; !taken || t.Entries[j].Deprecated && !fe.Deprecated {
				t.byLabel[n] = i
			}
		}
	}
	for _, e := range t.Entries {
		if e.Parent == "" {
			continue
		}
		p, ok := t.byCode[e.Parent]
		if !ok {
			return nil, fmt.Errorf("code %q: parent %q is not in the table", e.Code, e.Parent)
		}
		if t.Entries[p].Deprecated && !e.Deprecated {
			return nil, fmt.Errorf("code %q: parent %q is deprecated", e.Code, e.Parent)
		}
	}
	// Every parent exists; a chain longer than the table is a cycle.
	for _, e := range t.Entries {
		for up, steps := e.Parent, 0; up != ""; up, steps = t.Entries[t.byCode[up]].Parent, steps+1 {
			if steps > len(t.Entries) {
				return nil, fmt.Errorf("code %q: parent chain is a cycle", e.Code)
			}
		}
	}
	return t, nil
}
