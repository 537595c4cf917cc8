// Command gofixture writes a static GOPROXY tree of real module zips with Go's own golang.org/x/mod/zip,
// so the tests compare the proxy against what the go command itself produces.
//
// Input (stdin, JSON): {"root": DIR, "modules": [{"path", "version", "time", "files": {name: content}}]}.
// Output (stdout, JSON): {"path@version": {"sum": "h1:...", "goModSum": "h1:..."}}.
//
// Built in GOPATH mode against Debian's golang-golang-x-mod-dev (no network).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

type fixtureModule struct {
	Path    string            `json:"path"`
	Version string            `json:"version"`
	Time    string            `json:"time"`
	Files   map[string]string `json:"files"`
}

type request struct {
	Root    string          `json:"root"`
	Modules []fixtureModule `json:"modules"`
}

type sums struct {
	Sum      string `json:"sum"`
	GoModSum string `json:"goModSum"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail(err)
	}
	out := map[string]sums{}
	versions := map[string][]string{}
	for _, m := range req.Modules {
		s, err := write(req.Root, m)
		if err != nil {
			fail(fmt.Errorf("%s@%s: %w", m.Path, m.Version, err))
		}
		out[m.Path+"@"+m.Version] = s
		versions[m.Path] = append(versions[m.Path], m.Version)
	}
	for path, vs := range versions {
		if err := writeListAndLatest(req.Root, path, vs, req.Modules); err != nil {
			fail(err)
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}

func write(root string, m fixtureModule) (sums, error) {
	escPath, err := module.EscapePath(m.Path)
	if err != nil {
		return sums{}, err
	}
	escVersion, err := module.EscapeVersion(m.Version)
	if err != nil {
		return sums{}, err
	}
	dir := filepath.Join(root, filepath.FromSlash(escPath), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return sums{}, err
	}

	src, err := os.MkdirTemp("", "gofixture-src-")
	if err != nil {
		return sums{}, err
	}
	defer os.RemoveAll(src)
	for name, content := range m.Files {
		file := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return sums{}, err
		}
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			return sums{}, err
		}
	}

	zipFile := filepath.Join(dir, escVersion+".zip")
	f, err := os.Create(zipFile)
	if err != nil {
		return sums{}, err
	}
	if err := modzip.CreateFromDir(f, module.Version{Path: m.Path, Version: m.Version}, src); err != nil {
		f.Close()
		return sums{}, err
	}
	if err := f.Close(); err != nil {
		return sums{}, err
	}

	goMod, ok := m.Files["go.mod"]
	if !ok {
		// What the go command synthesises for a module without go.mod (v2.0.0+incompatible and older).
		goMod = "module " + modfilePath(m.Path) + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, escVersion+".mod"), []byte(goMod), 0o644); err != nil {
		return sums{}, err
	}
	info, _ := json.Marshal(map[string]string{"Version": m.Version, "Time": m.Time})
	if err := os.WriteFile(filepath.Join(dir, escVersion+".info"), info, 0o644); err != nil {
		return sums{}, err
	}

	sum, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		return sums{}, err
	}
	goModSum, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(goMod)), nil
	})
	if err != nil {
		return sums{}, err
	}
	return sums{Sum: sum, GoModSum: goModSum}, nil
}

// writeListAndLatest lists release versions only, as proxy.golang.org does; a module with nothing but
// pseudo-versions gets an @latest file naming the newest, which is how go resolves @latest for it.
func writeListAndLatest(root, path string, versions []string, all []fixtureModule) error {
	escPath, err := module.EscapePath(path)
	if err != nil {
		return err
	}
	var releases []string
	for _, v := range versions {
		if !module.IsPseudoVersion(v) {
			releases = append(releases, v)
		}
	}
	sort.Slice(releases, func(i, j int) bool { return semver.Compare(releases[i], releases[j]) < 0 })
	list := ""
	for _, v := range releases {
		list += v + "\n"
	}
	base := filepath.Join(root, filepath.FromSlash(escPath))
	if err := os.WriteFile(filepath.Join(base, "@v", "list"), []byte(list), 0o644); err != nil {
		return err
	}
	if len(releases) > 0 {
		return nil
	}
	sort.Slice(versions, func(i, j int) bool { return semver.Compare(versions[i], versions[j]) < 0 })
	newest := versions[len(versions)-1]
	for _, m := range all {
		if m.Path == path && m.Version == newest {
			info, _ := json.Marshal(map[string]string{"Version": m.Version, "Time": m.Time})
			return os.WriteFile(filepath.Join(base, "@latest"), info, 0o644)
		}
	}
	return nil
}

func modfilePath(path string) string {
	if strings.ContainsAny(path, " \t\"'`") {
		return strconvQuote(path)
	}
	return path
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gofixture:", err)
	os.Exit(1)
}
