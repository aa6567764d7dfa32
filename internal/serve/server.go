package serve

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

//go:embed static
var staticFS embed.FS

// Server serves the app over one output root. It only reads: run
// directories are found and read with the report's loaders, and no
// request names a file: runs are looked up by the ids the server listed,
// static files in the embedded set.
type Server struct {
	// Interval is how often the event stream rescans the root (default 1s).
	Interval time.Duration

	mu       sync.Mutex
	tree     *tree
	lastScan time.Time
	scanErr  error
}

// New returns a server over root, a directory, after a first scan.
func New(root string) (*Server, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", root)
	}
	s := &Server{Interval: time.Second, tree: newTree(root)}
	if err := s.tree.scan(); err != nil {
		return nil, err
	}
	s.lastScan = time.Now()
	return s, nil
}

// refresh rescans the root unless a scan ran within half an interval, and
// calls fn with the tree locked.
func (s *Server) refresh(fn func(t *tree)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.lastScan) >= s.Interval/2 {
		s.scanErr = s.tree.scan()
		s.lastScan = time.Now()
	}
	if s.scanErr != nil {
		return s.scanErr
	}
	fn(s.tree)
	return nil
}

// ServeHTTP routes GET and HEAD requests; a path holding ".." is refused
// with 400 before any routing, and every unknown path is 404.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "read-only: GET and HEAD only", http.StatusMethodNotAllowed)
		return
	}
	if strings.Contains(r.URL.Path, "..") || strings.Contains(r.URL.RawPath, "..") || strings.Contains(r.RequestURI, "..") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	switch p := r.URL.Path; {
	case p == "/":
		s.static(w, r, "index.html")
	case p == "/favicon.ico":
		w.WriteHeader(http.StatusNoContent)
	case strings.HasPrefix(p, "/static/"):
		s.static(w, r, strings.TrimPrefix(p, "/static/"))
	case p == "/api/runs":
		s.apiRuns(w, r)
	case p == "/api/metrics":
		s.apiMetrics(w, r)
	case p == "/api/claims":
		s.apiClaims(w, r)
	case p == "/api/events":
		s.events(w, r)
	default:
		http.NotFound(w, r)
	}
}

// static serves one embedded file by its name in the static folder.
func (s *Server) static(w http.ResponseWriter, r *http.Request, name string) {
	if !fs.ValidPath(name) || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	sub, _ := fs.Sub(staticFS, "static")
	if _, err := fs.Stat(sub, name); err != nil {
		http.NotFound(w, r)
		return
	}
	http.ServeFileFS(w, r, sub, name)
}
