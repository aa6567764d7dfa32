package main

// The probe package registers the paper's instruments as training hooks
// (jac_norm, hess_trace, noise_scale, fine-tuning copies, snapshot
// ensembles), switched on by the probe.* config keys.
import _ "wdlab/internal/probe"
