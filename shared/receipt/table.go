package receipt

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/signintech/gopdf"
)

// maxCellLines is how many lines a ledger cell may wrap to before it is cut with "…".
const maxCellLines = 3

// ledger draws the selected rows as a table that fills the content width,
// repeating its header on every page it runs onto.
func (d *doc) ledger(r Receipt) error {
	if len(r.Columns) == 0 {
		return nil
	}
	t := d.layoutTable(r)
	if err := d.heading(fmt.Sprintf(labelRows, len(r.Rows))); err != nil {
		return err
	}
	if err := d.tableRow(t, t.header, true); err != nil {
		return err
	}
	for _, row := range t.rows {
		if d.room(rowHeight(row, t.size)) {
			if err := d.tableRow(t, t.header, true); err != nil {
				return err
			}
		}
		if err := d.tableRow(t, row, false); err != nil {
			return err
		}
	}
	d.y += 3 * mm
	return nil
}

type table struct {
	size   float64   // font size
	widths []float64 // column widths, summing to contentW
	right  []bool    // right-align the column (its cells are amounts)
	header [][]string
	rows   [][][]string // row → column → wrapped lines
}

// tableSize shrinks the type as columns are added, so that ~12 still fit.
func tableSize(columns int) float64 {
	switch {
	case columns <= 6:
		return 9
	case columns <= 9:
		return 8
	case columns <= 12:
		return 7
	default:
		return 6
	}
}

// layoutTable chooses the type size and column widths and wraps every cell.
func (d *doc) layoutTable(r Receipt) table {
	n := len(r.Columns)
	t := table{size: tableSize(n), widths: make([]float64, n), right: make([]bool, n)}
	header := make([]string, n)
	want := make([]float64, n)
	for c := range n {
		header[c] = d.face.clean(r.Columns[c])
		want[c] = d.face.width(header[c], t.size)
	}
	cells := make([][]string, len(r.Rows))
	amounts := make([]int, n) // per column: cells that are amounts, or -1 once one is not
	for i, row := range r.Rows {
		cells[i] = make([]string, n)
		for c := range n {
			if c < len(row.Cells) {
				cells[i][c] = d.face.clean(row.Cells[c])
			}
			want[c] = max(want[c], d.face.width(cells[i][c], t.size))
			switch {
			case amounts[c] < 0 || cells[i][c] == "":
			case amount(cells[i][c]):
				amounts[c]++
			default:
				amounts[c] = -1
			}
		}
	}
	for c := range n {
		t.right[c] = amounts[c] > 0
	}
	fill(t.widths, want, 2*t.size+2*cellPad, contentW)
	t.header = make([][]string, n)
	for c := range n {
		t.header[c] = d.wrap(header[c], t.widths[c]-2*cellPad, t.size, maxCellLines)
	}
	t.rows = make([][][]string, len(cells))
	for i := range cells {
		t.rows[i] = make([][]string, n)
		for c := range n {
			t.rows[i][c] = d.wrap(cells[i][c], t.widths[c]-2*cellPad, t.size, maxCellLines)
		}
	}
	return t
}

// fill sets widths to sum to total. Each column wants the width of its widest
// cell (at least least). When all wants fit, the slack is shared in proportion
// to them; when they do not, narrow columns keep what they want and the widest
// are cut to one common width, so only long texts wrap.
func fill(widths, want []float64, least, total float64) {
	n := len(want)
	var sum float64
	for c := range n {
		want[c] = max(want[c]+2*cellPad, least)
		sum += want[c]
	}
	if sum <= total {
		for c := range n {
			widths[c] = want[c] * total / sum
		}
		return
	}
	order := make([]int, n)
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(want[a], want[b]) })
	left := total
	for i, c := range order {
		share := left / float64(n-i)
		widths[c] = min(want[c], share)
		left -= widths[c]
	}
}

// amount reports whether s reads as a sum of money such as "-1,234.56"; only
// such columns are right-aligned (periods and codes read better left-aligned).
func amount(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || whole == "" || frac == "" {
		return false
	}
	return strings.Trim(whole, "0123456789,") == "" && strings.Trim(frac, "0123456789") == ""
}

func rowHeight(row [][]string, size float64) float64 {
	lines := 1
	for _, cell := range row {
		lines = max(lines, len(cell))
	}
	return float64(lines)*size*lineGap + 2*cellPad*0.7
}

func (d *doc) tableRow(t table, row [][]string, header bool) error {
	h := rowHeight(row, t.size)
	x := marginX
	if header {
		d.shade(x, d.y, contentW, h)
	}
	if header {
		d.rule(marginX, d.y, marginX+contentW, d.y)
	}
	d.rule(marginX, d.y+h, marginX+contentW, d.y+h)
	d.rule(x, d.y, x, d.y+h)
	for c, cell := range row {
		w := t.widths[c]
		d.rule(x+w, d.y, x+w, d.y+h)
		align := gopdf.Left
		switch {
		case header:
			align = gopdf.Center
		case t.right[c]:
			align = gopdf.Right
		}
		top := d.y + (h-float64(len(cell))*t.size*lineGap)/2
		if _, err := d.lines(x+cellPad, top, w-2*cellPad, cell, t.size, align); err != nil {
			return err
		}
		x += w
	}
	d.y += h
	return nil
}
