// Package exp holds wdlab's experiment catalog: one named experiment per
// figure or table of the paper, each defined as data (catalog/*.yaml) at
// three scales (tiny: minutes on 2 CPU cores; small; paper: the paper's
// settings, for a GPU). An experiment is a sweep over a base config, a
// sequence of dependent runs, or a custom runner (the equilibrium laws).
package exp
