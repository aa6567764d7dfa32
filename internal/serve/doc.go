// Package serve is the local web app of `wdlab serve`: a read-only view of
// the runs under an output root (a sweep, an experiment or a tree of them)
// with a sortable runs table, interactive curves, the (lr, wd) heatmap, the
// scatter against lr*wd and the claims with their verdicts. The pages poll
// nothing: a server-sent event stream tells them when a run's files changed
// and they fetch the new data without reloading. Charts are drawn by Apache
// ECharts, embedded in the binary (static/echarts.min.js, Apache License
// 2.0, see static/ECHARTS-LICENSE), so the app works offline.
package serve
