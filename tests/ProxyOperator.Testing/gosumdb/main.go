// Command gosumdb serves a local, signed Go checksum database on 127.0.0.1 for the modules of a static GOPROXY tree
// (the one gofixture writes), with Go's own golang.org/x/mod/sumdb server, tlog and note packages, so the tests
// check the proxy's verification against what the go command itself accepts.
//
// Arguments: -root DIR (the GOPROXY tree) -name NAME (the database name, host[/path]).
// Output (stdout, one JSON line once serving): {"key": "NAME+HASH+KEY", "url": "http://127.0.0.1:PORT"}.
// GET /_requests answers "PATH COUNT" lines, so tests can see what reached the database.
//
// Records are computed from the tree at start-up, so a test that later tampers with a zip in the tree gets a
// database that still holds the original hash, as sum.golang.org would.
//
// Built in GOPATH mode against Debian's golang-golang-x-mod-dev (no network).
package main

import (
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	root := flag.String("root", "", "static GOPROXY tree")
	name := flag.String("name", "sumdb.test", "database name")
	flag.Parse()

	records, err := readRecords(*root)
	if err != nil {
		fail(err)
	}

	skey, vkey, err := note.GenerateKey(rand.Reader, *name)
	if err != nil {
		fail(err)
	}

	server := sumdb.NewServer(sumdb.NewTestServer(skey, func(path, vers string) ([]byte, error) {
		if record, ok := records[path+"@"+vers]; ok {
			return record, nil
		}
		return nil, fmt.Errorf("%s@%s: not found", path, vers)
	}))

	var mu sync.Mutex
	counts := map[string]int{}
	mux := http.NewServeMux()
	for _, path := range sumdb.ServerPaths {
		mux.Handle(path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			counts[r.URL.Path]++
			mu.Unlock()
			server.ServeHTTP(w, r)
		}))
	}
	mux.HandleFunc("/_requests", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		paths := make([]string, 0, len(counts))
		for path := range counts {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			fmt.Fprintf(w, "%s %d\n", path, counts[path])
		}
	})

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}

	line, _ := json.Marshal(map[string]string{"key": vkey, "url": "http://" + listener.Addr().String()})
	fmt.Println(string(line))
	os.Stdout.Sync()
	fail(http.Serve(listener, mux))
}

// readRecords computes "path version h1:...\npath version/go.mod h1:...\n" for every zip in the tree.
func readRecords(root string) (map[string][]byte, error) {
	records := map[string][]byte{}
	err := filepath.Walk(root, func(file string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(file, ".zip") {
			return err
		}
		rel, err := filepath.Rel(root, file)
		if err != nil {
			return err
		}
		at := strings.LastIndex(filepath.ToSlash(rel), "/@v/")
		if at < 0 {
			return nil
		}
		path, err := module.UnescapePath(filepath.ToSlash(rel)[:at])
		if err != nil {
			return err
		}
		version, err := module.UnescapeVersion(strings.TrimSuffix(filepath.Base(file), ".zip"))
		if err != nil {
			return err
		}
		zipSum, err := dirhash.HashZip(file, dirhash.Hash1)
		if err != nil {
			return err
		}
		modFile := strings.TrimSuffix(file, ".zip") + ".mod"
		modSum, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) { return os.Open(modFile) })
		if err != nil {
			return err
		}
		records[path+"@"+version] = []byte(fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", path, version, zipSum, path, version, modSum))
		return nil
	})
	return records, err
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gosumdb:", err)
	os.Exit(1)
}
