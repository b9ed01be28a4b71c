package catalog

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
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/hljhrss/hrss/shared/codetable"
)

//go:embed data/catalog.yaml data/businesses/*.yaml
var embedded embed.FS

// Default returns the embedded catalog checked against codetable.Default(),
// loaded once. It panics if the embedded data is invalid: that is a build
// defect, caught by this package's tests.
func Default() *Catalog {
	return defaultCatalog()
}

var defaultCatalog = sync.OnceValue(func() *Catalog {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err)
	}
	c, err := Load(sub, codetable.Default())
	if err != nil {
		panic(fmt.Sprintf("catalog: invalid embedded data: %v", err))
	}
	return c
})

// index is data/catalog.yaml.
type index struct {
	Version  string    `yaml:"version"`
	Source   string    `yaml:"source"`
	Upload   Upload    `yaml:"upload"`
	Windows  []*Window `yaml:"windows"`
	Filters  Filters   `yaml:"filters"`
	Families []Family  `yaml:"families"`
}

// Load reads catalog.yaml and businesses/*.yaml from fsys, checks every
// definition (against tables for the enums) and compiles the forms. All
// problems are reported together.
func Load(fsys fs.FS, tables *codetable.Set) (*Catalog, error) {
	if tables == nil {
		return nil, errors.New("catalog: no code tables")
	}
	h := sha256.New()
	read := func(p string, v any) error {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(v); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		var extra any
		if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: more than one YAML document", p)
		}
		return nil
	}
	var idx index
	if err := read("catalog.yaml", &idx); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	paths, err := fs.Glob(fsys, "businesses/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	slices.Sort(paths)
	c := &Catalog{
		version: idx.Version, source: idx.Source, upload: idx.Upload, filters: idx.Filters, families: idx.Families,
		windows: map[string]*Window{}, byID: map[string]*Business{}, tables: tables,
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, p := range paths {
		b := &Business{}
		if err := read(p, b); err != nil {
			bad("%w", err)
			continue
		}
		if want := strings.TrimSuffix(path.Base(p), ".yaml"); !strings.HasSuffix(want, "-"+b.ID) {
			bad("%s: id %q does not match the file name", p, b.ID)
		}
		c.businesses = append(c.businesses, b)
	}
	c.digest = hex.EncodeToString(h.Sum(nil))[:16]
	slices.SortStableFunc(c.businesses, func(a, b *Business) int { return compareSections(a.Section, b.Section) })

	if strings.TrimSpace(c.version) == "" {
		bad("catalog.yaml: no version")
	}
	if len(c.upload.Types) == 0 || c.upload.MaxBytes <= 0 || c.upload.MaxFiles <= 0 {
		bad("catalog.yaml: upload defaults need types, maxBytes and maxFiles")
	}
	for _, w := range idx.Windows {
		loc, err := time.LoadLocation(w.TimeZone)
		switch {
		case err != nil:
			bad("window %s: %v", w.Name, err)
		case w.FromDay < 1 || w.ToDay > 31 || w.FromDay > w.ToDay:
			bad("window %s: days %d-%d", w.Name, w.FromDay, w.ToDay)
		case c.windows[w.Name] != nil:
			bad("window %s: duplicate", w.Name)
		}
		w.loc = loc
		c.windows[w.Name] = w
	}
	families := map[string]bool{}
	for _, f := range c.families {
		if f.ID == "" || f.Label == "" || families[f.ID] {
			bad("family %q: empty or duplicate", f.ID)
		}
		families[f.ID] = true
	}
	sections := map[string]string{}
	for _, b := range c.businesses {
		if c.byID[b.ID] != nil {
			bad("business %s: duplicate id", b.ID)
		}
		c.byID[b.ID] = b
		if other, dup := sections[b.Section]; dup {
			bad("business %s: section %s is also %s", b.ID, b.Section, other)
		}
		sections[b.Section] = b.ID
		for _, e := range c.checkBusiness(b, families) {
			bad("business %s (%s): %w", b.ID, b.Section, e)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("catalog: %w", errors.Join(errs...))
	}
	return c, nil
}

// compareSections orders "4.2" before "4.10" before "5.1".
func compareSections(a, b string) int {
	pa, pb := strings.SplitN(a, ".", 2), strings.SplitN(b, ".", 2)
	for i := range 2 {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return strings.Compare(a, b)
}

var (
	prefillSources = map[string]bool{"account": true, "person": true, "unit": true, "default": true, "derived": true}
)

// checkBusiness checks one definition, fills in material defaults and
// compiles the form.
func (c *Catalog) checkBusiness(b *Business, families map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if b.ID == "" || b.Name == "" || b.NameEn == "" || b.Section == "" {
		bad("id, name, nameEn and section are required")
	}
	if n := utf8.RuneCountInString(b.Name); len(b.Initials) != n || strings.ToUpper(b.Initials) != b.Initials {
		bad("initials %q: want one upper-case letter per character of %q", b.Initials, b.Name)
	}
	var uf *UserFilters
	switch b.UserType {
	case Individual:
		uf = &c.filters.Individual
	case Enterprise:
		uf = &c.filters.Enterprise
	default:
		bad("userType %q: want individual or enterprise", b.UserType)
		uf = &UserFilters{}
	}
	if !families[b.Family] {
		bad("unknown family %q", b.Family)
	}
	if len(b.Categories) == 0 || len(b.Purposes) == 0 {
		bad("needs at least one category and one purpose")
	}
	for _, v := range b.Categories {
		if !slices.Contains(uf.Categories, v) {
			bad("category %q is not a %s filter value", v, b.UserType)
		}
	}
	for _, v := range b.Purposes {
		if !slices.Contains(uf.Purposes, v) {
			bad("purpose %q is not a %s filter value", v, b.UserType)
		}
	}
	if b.WindowName != "" {
		if b.Window = c.windows[b.WindowName]; b.Window == nil {
			bad("unknown window %q", b.WindowName)
		}
	}
	if b.Guide.ItemName == "" || b.Guide.Conditions == "" || b.Guide.Process == "" {
		bad("guide needs 事项名称, 受理条件 and 办理流程")
	}
	if b.Window != nil && b.Guide.Hours != b.Window.Label {
		bad("guide 办理时间 %q differs from the window %q", b.Guide.Hours, b.Window.Label)
	}

	groups := map[string]int{}
	names := map[string]bool{}
	for i := range b.Materials {
		m := &b.Materials[i]
		if m.Name == "" || names[m.Name] {
			bad("material %q: empty or duplicate name", m.Name)
		}
		names[m.Name] = true
		if m.Required && m.OneOf != "" {
			bad("material %s: required and oneOf %s", m.Name, m.OneOf)
		}
		if m.OneOf != "" {
			groups[m.OneOf]++
		}
		if len(m.Types) == 0 {
			m.Types = slices.Clone(c.upload.Types)
		}
		if m.MaxBytes == 0 {
			m.MaxBytes = c.upload.MaxBytes
		}
		if m.MaxFiles == 0 {
			m.MaxFiles = c.upload.MaxFiles
		}
		if m.MaxBytes < 0 || m.MaxFiles < 0 {
			bad("material %s: negative limit", m.Name)
		}
	}
	for g, n := range groups {
		if n < 2 {
			bad("oneOf group %s has a single material: make it required instead", g)
		}
	}

	for i := range b.Fields {
		f := &b.Fields[i]
		if f.Prefill != nil && !prefillSources[f.Prefill.From] {
			bad("field %s: prefill from %q", f.Key, f.Prefill.From)
		}
		if f.Prefill != nil && f.Prefill.From == "derived" && b.field(f.Prefill.Attr) == nil {
			bad("field %s: derived from unknown field %q", f.Key, f.Prefill.Attr)
		}
		switch ro := f.ReadOnly; {
		case ro == "", ro == "always", ro == "whenPrefilled":
		case strings.HasPrefix(ro, "after:") && b.field(strings.TrimPrefix(ro, "after:")) != nil:
		default:
			bad("field %s: readOnly %q", f.Key, ro)
		}
	}
	if l := b.Ledger; l != nil {
		for _, e := range l.compileLedger() {
			bad("%s", e)
		}
		for _, t := range l.Totals {
			if len(t.Sum) == 0 {
				bad("ledger total %s sums nothing", t.Label)
			}
			for _, col := range t.Sum {
				if !slices.Contains(l.FlatColumns, col) {
					bad("ledger total %s: unknown column %q", t.Label, col)
				}
			}
		}
	}
	fm, ferrs := compile(b, c.tables)
	errs = append(errs, ferrs...)
	b.form = fm
	if b.RepeatingRows != nil {
		rf, rerrs := compile(&Business{ID: b.ID, Fields: b.RepeatingRows.Fields}, c.tables)
		for _, e := range rerrs {
			errs = append(errs, fmt.Errorf("repeating rows: %w", e))
		}
		b.rowForm = rf
	}
	return errs
}

// field returns the field with key, or nil.
func (b *Business) field(key string) *Field {
	for i := range b.Fields {
		if b.Fields[i].Key == key {
			return &b.Fields[i]
		}
	}
	return nil
}

// Version is the declared version of the catalog data (catalog.yaml).
func (c *Catalog) Version() string { return c.version }

// Digest is a hash of every data file: it changes whenever the data
// changes, even if the version was not bumped.
func (c *Catalog) Digest() string { return c.digest }

// Source says where the catalog comes from.
func (c *Catalog) Source() string { return c.source }

// Tables returns the code tables the catalog was checked against.
func (c *Catalog) Tables() *codetable.Set { return c.tables }

// Filters returns the service-center filter values of both portals.
func (c *Catalog) Filters() Filters { return c.filters }

// Families returns the business families.
func (c *Catalog) Families() []Family { return slices.Clone(c.families) }

// Upload returns the default limits of a material slot.
func (c *Catalog) Upload() Upload { return c.upload }

// Businesses returns every business in manual order. The businesses are
// shared: do not modify them.
func (c *Catalog) Businesses() []*Business { return slices.Clone(c.businesses) }

// Business returns the business with the given id.
func (c *Catalog) Business(id string) (*Business, bool) {
	b, ok := c.byID[id]
	return b, ok
}

// Field returns the form field with the given key.
func (b *Business) Field(key string) (*Field, bool) {
	f := b.field(key)
	return f, f != nil
}

// WindowOpen reports whether the business's monthly rule opens at t:
// always for businesses without a window. The dated exceptions admins set
// are package calendar's; submits and views ask calendar.Of.
func (b *Business) WindowOpen(t time.Time) bool { return b.Window == nil || b.Window.Open(t) }
