package report

import (
	"bytes"
	"html/template"
)

// page is what index.html shows.
type page struct {
	Root       string
	Experiment string // "NAME (SCALE)", "" for a plain sweep
	Rule       string // how verdicts compare seed means
	Figures    []Figure
	Rows       []row
	Claims     []Claim
	Seeds      []seedGroup
}

// row is one line of the runs table.
type row struct {
	Dir, Name, LR, WD, Status, TestErr, EMATestErr, WallS string
}

// cell formats an optional value for the table ("" when absent).
func cell(v float64, ok bool) string {
	if !ok {
		return ""
	}
	return num(v)
}

// tableRows builds the runs table.
func tableRows(runs []Run) []row {
	rows := make([]row, len(runs))
	for i, r := range runs {
		te, okT := r.Final("test_err")
		ee, okE := r.Final("ema_test_err")
		wall := 0.0
		if r.Summary != nil {
			wall = r.Summary.WallS
		}
		rows[i] = row{Dir: r.Dir, Name: r.Label, LR: cell(r.LR, finite(r.LR)), WD: cell(r.WD, finite(r.WD)),
			Status: r.Status, TestErr: cell(te, okT), EMATestErr: cell(ee, okE), WallS: num(wall)}
	}
	return rows
}

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>wdlab report: {{.Root}}</title>
<style>
body { font-family: sans-serif; margin: 2em auto; max-width: 1300px; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.figs { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; width: 600px; }
figure img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; }
.holds { color: #146c2e; font-weight: bold; }
.does-not-hold { color: #a3161b; font-weight: bold; }
.not-measured { color: #777; font-weight: bold; }
</style>
</head>
<body>
<h1>wdlab report</h1>
<p>{{len .Rows}} runs under <code>{{.Root}}</code>{{if .Experiment}}, experiment {{.Experiment}}{{end}}.</p>
<h2>Claims</h2>
<p>{{.Rule}}</p>
<ul>
{{- range .Claims}}
<li>{{.Claim}}{{if .Seeds}} [{{.Seeds}} seed{{if gt .Seeds 1}}s{{end}}]{{end}}: <span class="{{if eq .Verdict "holds"}}holds{{else if eq .Verdict "does not hold"}}does-not-hold{{else}}not-measured{{end}}">{{.Verdict}}</span>. {{.Evidence}}.</li>
{{- end}}
</ul>
<h2>Figures</h2>
<div class="figs">
{{- range .Figures}}
<figure>
<a href="{{.SVG}}"><img src="{{.PNG}}" alt="{{.Title}}" width="576" height="384"></a>
<figcaption>{{.Caption}} (<a href="{{.SVG}}">SVG</a>)</figcaption>
</figure>
{{- else}}
<p>No figure: the runs record none of the plotted metrics.</p>
{{- end}}
</div>
{{- if .Seeds}}
<h2>Seeds</h2>
<p>Settings run with several seeds: mean ± sample standard deviation of the final values.</p>
<table>
<thead><tr><th>setting</th><th>seeds</th><th>test_err</th><th>ema_test_err</th><th>val_loss</th><th>ema_val_loss</th></tr></thead>
<tbody>
{{- range .Seeds}}
<tr><td>{{.Setting}}</td><td>{{range $i, $s := .Seeds}}{{if $i}}, {{end}}{{$s}}{{end}}</td>{{range .Stats}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
<h2>Runs</h2>
<table>
<thead><tr><th>name</th><th>lr</th><th>wd</th><th>status</th><th>final test_err</th><th>final ema_test_err</th><th>wall_s</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr><td title="{{.Dir}}">{{.Name}}</td><td class="n">{{.LR}}</td><td class="n">{{.WD}}</td><td>{{.Status}}</td><td class="n">{{.TestErr}}</td><td class="n">{{.EMATestErr}}</td><td class="n">{{.WallS}}</td></tr>
{{- end}}
</tbody>
</table>
</body>
</html>
`))

// renderHTML returns index.html.
func renderHTML(p page) ([]byte, error) {
	var buf bytes.Buffer
	if err := indexTemplate.Execute(&buf, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
