package serve

import (
	"fmt"
	"net/http"
	"time"
)

// events is the server-sent event stream: an "update" event carrying the
// tree's version at connection and whenever a rescan finds a change. The
// pages then fetch what they show; they never reload.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	sent := -1
	tick := time.NewTicker(s.Interval)
	defer tick.Stop()
	for {
		v := sent
		if err := s.refresh(func(t *tree) { v = t.version }); err != nil {
			fmt.Fprintf(w, "event: error\ndata: %q\n\n", err.Error())
		} else if v != sent {
			fmt.Fprintf(w, "event: update\ndata: %d\n\n", v)
			sent = v
		}
		fl.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}
