// Records every path of paths.txt with go-vcr (v1, Debian golang-github-dnaeon-go-vcr-dev)
// into OUT/go_vcr.yaml. Args: PORT OUT PATHS
package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/dnaeon/go-vcr/recorder"
)

func main() {
	port, out := os.Args[1], os.Args[2]
	data, err := os.ReadFile(os.Args[3])
	if err != nil {
		panic(err)
	}
	r, err := recorder.NewAsMode(filepath.Join(out, "go_vcr"), recorder.ModeRecording, nil)
	if err != nil {
		panic(err)
	}
	client := &http.Client{Transport: r, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	for _, p := range strings.Fields(string(data)) {
		resp, err := client.Get("http://127.0.0.1:" + port + p)
		if err != nil {
			panic(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if err := r.Stop(); err != nil {
		panic(err)
	}
}
