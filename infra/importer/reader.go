package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// record is one input row: its line number (where it starts) and its
// values by canonical column key. bad is set when the row itself cannot be
// read (a JSON value that is not an object, a CSV row with too many
// fields); such a row is rejected, the file goes on.
type record struct {
	line   int
	values map[string]string
	bad    string
}

// source yields records; next returns io.EOF after the last.
type source interface {
	next() (record, error)
	unknownColumns() []string
}

// newSource opens a reader of the given format: csv (UTF-8 with a header
// row, optional BOM), json (an array of objects) or jsonl (one object per
// line). Column names are mapped to canonical keys through cols.
func newSource(r io.Reader, format string, cols columnSet) (source, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	switch format {
	case "csv":
		return newCSV(br, cols)
	case "json":
		return newJSONArray(br, cols)
	case "jsonl", "ndjson":
		return &jsonLines{sc: newLineScanner(br), cols: cols, unknown: map[string]bool{}}, nil
	}
	return nil, fmt.Errorf("importer: unknown format %q (csv, json or jsonl)", format)
}

// checkUTF8 reports text that is not UTF-8 (a GBK export, say).
func checkUTF8(s string, line int) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("importer: line %d is not UTF-8; convert the file to UTF-8 (e.g. iconv -f GBK -t UTF-8)", line)
	}
	return nil
}

type csvSource struct {
	r       *csv.Reader
	keys    []string // canonical key per column, "" for unknown
	unknown []string
}

func newCSV(r io.Reader, cols columnSet) (*csvSource, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("importer: the file is empty (a header row is required)")
	}
	if err != nil {
		return nil, fmt.Errorf("importer: header: %w", err)
	}
	s := &csvSource{r: cr}
	seen := map[string]bool{}
	for _, h := range header {
		if err := checkUTF8(h, 1); err != nil {
			return nil, err
		}
		k := cols.key(h)
		if k != "" && seen[k] {
			return nil, fmt.Errorf("importer: header: column %q appears twice", h)
		}
		if k == "" && strings.TrimSpace(h) != "" {
			s.unknown = append(s.unknown, strings.TrimSpace(h))
		}
		seen[k] = true
		s.keys = append(s.keys, k)
	}
	return s, nil
}

func (s *csvSource) unknownColumns() []string { return s.unknown }

func (s *csvSource) next() (record, error) {
	fields, err := s.r.Read()
	if err != nil {
		// FieldPos may not be called here: after a parse error the reader
		// may hold no field positions at all.
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return record{line: pe.StartLine, bad: "CSV格式错误：" + csvProblem(pe.Err)}, nil
		}
		return record{}, err
	}
	line, _ := s.r.FieldPos(0)
	rec := record{line: line, values: make(map[string]string, len(fields))}
	if len(fields) > len(s.keys) {
		rec.bad = fmt.Sprintf("列数（%d）多于表头（%d）", len(fields), len(s.keys))
		return rec, nil
	}
	for i, f := range fields {
		if err := checkUTF8(f, line); err != nil {
			return record{}, err
		}
		if s.keys[i] != "" {
			rec.values[s.keys[i]] = strings.TrimSpace(f)
		}
	}
	return rec, nil
}

// csvProblem is the Chinese description of a CSV parse error.
func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "非引号字段中含有双引号"
	case errors.Is(err, csv.ErrQuote):
		return "引号字段中的引号多余或缺失"
	}
	return "无法解析该行"
}

// lineCounter counts the newlines read so far, so that a JSON decoder's
// offset can be turned into a line number.
type lineCounter struct {
	r     io.Reader
	nl    []int64 // offsets of '\n'
	total int64
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			c.nl = append(c.nl, c.total+int64(i))
		}
	}
	c.total += int64(n)
	return n, err
}

// lineOf returns the 1-based line of a byte offset.
func (c *lineCounter) lineOf(off int64) int {
	return sort.Search(len(c.nl), func(i int) bool { return c.nl[i] >= off }) + 1
}

type jsonArray struct {
	lc      *lineCounter
	dec     *json.Decoder
	cols    columnSet
	unknown map[string]bool
	done    bool
}

func newJSONArray(r io.Reader, cols columnSet) (*jsonArray, error) {
	lc := &lineCounter{r: r}
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("importer: JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, errors.New("importer: JSON files must hold an array of objects")
	}
	return &jsonArray{lc: lc, dec: dec, cols: cols, unknown: map[string]bool{}}, nil
}

func (s *jsonArray) unknownColumns() []string { return sortedKeys(s.unknown) }

func (s *jsonArray) next() (record, error) {
	if s.done || !s.dec.More() {
		s.done = true
		return record{}, io.EOF
	}
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		return record{}, fmt.Errorf("importer: JSON near line %d: %w", s.lc.lineOf(s.dec.InputOffset()), err)
	}
	// InputOffset is now the end of the value; it starts len(raw) before.
	line := s.lc.lineOf(s.dec.InputOffset() - int64(len(raw)))
	return objectRecord(raw, line, s.cols, s.unknown), nil
}

type lineScanner struct {
	r    *bufio.Reader
	line int
}

func newLineScanner(r *bufio.Reader) *lineScanner { return &lineScanner{r: r} }

// next returns the next line without its end, with no length limit.
func (l *lineScanner) next() (string, int, error) {
	s, err := l.r.ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || s == "") {
		return "", 0, err
	}
	l.line++
	return strings.TrimRight(s, "\r\n"), l.line, nil
}

type jsonLines struct {
	sc      *lineScanner
	cols    columnSet
	unknown map[string]bool
}

func (s *jsonLines) unknownColumns() []string { return sortedKeys(s.unknown) }

func (s *jsonLines) next() (record, error) {
	for {
		text, line, err := s.sc.next()
		if err != nil {
			return record{}, err
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if err := checkUTF8(text, line); err != nil {
			return record{}, err
		}
		return objectRecord([]byte(text), line, s.cols, s.unknown), nil
	}
}

// objectRecord converts one JSON object into a record. Numbers keep their
// literal text (never a float); null is empty; nested values are refused.
func objectRecord(raw []byte, line int, cols columnSet, unknown map[string]bool) record {
	rec := record{line: line, values: map[string]string{}}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		rec.bad = "每条记录应为JSON对象"
		return rec
	}
	for name, v := range obj {
		k := cols.key(name)
		if k == "" {
			unknown[name] = true
			continue
		}
		if _, dup := rec.values[k]; dup {
			// Two names of one column: which value wins would depend on
			// map order, so the row is refused.
			rec.bad = fmt.Sprintf("字段%s重复（%s）", k, strings.Join(namesOf(obj, cols, k), "、"))
			return rec
		}
		switch x := v.(type) {
		case nil:
			rec.values[k] = ""
		case string:
			if !utf8.ValidString(x) {
				rec.bad = "内容不是UTF-8编码"
			}
			rec.values[k] = strings.TrimSpace(x)
		case json.Number:
			rec.values[k] = x.String()
		case bool:
			rec.values[k] = fmt.Sprint(x)
		default:
			rec.bad = fmt.Sprintf("字段%s应为字符串或数字", name)
		}
	}
	return rec
}

// namesOf returns the names in obj that map to the column key, sorted.
func namesOf(obj map[string]any, cols columnSet, key string) []string {
	var out []string
	for name := range obj {
		if cols.key(name) == key {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
