package catalog

import (
	"slices"
	"strconv"
	"strings"
)

// CheckMaterials checks the number of files uploaded per material name
// against the business's materials: required materials need a file, each
// one-of group needs a file in at least one of its materials, no material
// takes more than its MaxFiles, and unknown names are refused. Problems are
// keyed by material name (by group name for one-of groups); nil means the
// upload is complete.
func (b *Business) CheckMaterials(files map[string]int) map[string]string {
	var out map[string]string
	fail := func(k, msg string) {
		if out == nil {
			out = map[string]string{}
		}
		out[k] = msg
	}
	groups := map[string][]string{}
	satisfied := map[string]bool{}
	for i := range b.Materials {
		m := &b.Materials[i]
		n := files[m.Name]
		switch {
		case n > m.MaxFiles:
			fail(m.Name, m.Name+"最多上传"+strconv.Itoa(m.MaxFiles)+"个文件，当前"+strconv.Itoa(n)+"个，请删除多余的文件")
		case m.Required && n == 0:
			fail(m.Name, "请上传"+m.Name)
		}
		if m.OneOf != "" {
			groups[m.OneOf] = append(groups[m.OneOf], m.Name)
			satisfied[m.OneOf] = satisfied[m.OneOf] || n > 0
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, g := range names {
		if !satisfied[g] {
			fail(g, "请至少上传以下材料之一："+strings.Join(groups[g], "、"))
		}
	}
	for name := range files {
		if !slices.ContainsFunc(b.Materials, func(m Material) bool { return m.Name == name }) {
			fail(name, "本业务没有“"+clip(name)+"”这项材料")
		}
	}
	return out
}

// Material returns the material with the given name (or printed label).
func (b *Business) Material(name string) (*Material, bool) {
	for i := range b.Materials {
		if m := &b.Materials[i]; m.Name == name || m.Printed != "" && m.Printed == name {
			return m, true
		}
	}
	return nil, false
}
