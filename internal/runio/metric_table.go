package runio

// Metric defines one key of metrics.jsonl for one regime. A key means one
// thing per regime; where the regimes differ (train_loss), each has its row.
type Metric struct {
	Key     string
	Regime  string // Vision (the vision loop, its probes, the equilibrium cells) or LM
	Formula string // what the value is, in words and symbols
	Unit    string // "" for a plain number
	// Lower is better: summary.json's "best" holds the metric's minimum.
	// Diagnostics, hyper-parameters, counters and timings have no best.
	Lower bool
}

// The regimes of Metric.Regime.
const (
	Vision = "vision"
	LM     = "lm"
)

// Metrics is the definition of every metric wdlab writes; docs/metrics.md
// is generated from it (go test ./internal/runio -run TestMetricsDoc -update).
var Metrics = []Metric{
	{"epoch", Vision, "epochs completed", "epochs", false},
	{"step", Vision, "optimizer steps completed", "steps", false},
	{"step", LM, "optimizer steps completed", "steps", false},
	{"tokens", LM, "training tokens consumed: step x batch_size x grad_accum x ctx", "tokens", false},
	{"lr", Vision, "learning rate of the last step", "", false},
	{"lr", LM, "learning rate of the last step (warm-up + cosine, or effective-LR matching)", "", false},
	{"wd", Vision, "weight-decay factor lambda (optim.wd)", "", false},
	{"wd", LM, "weight-decay factor lambda (optim.wd)", "", false},

	{"train_loss", Vision, "train_ce + wd/2 x param_norm^2: the regularised objective", "nats", true},
	{"train_ce", Vision, "mean cross-entropy of the iterate on the full train split, BN in eval mode", "nats", true},
	{"train_err", Vision, "fraction of the train split the iterate misclassifies (arg-max)", "fraction", true},
	{"test_ce", Vision, "mean cross-entropy of the iterate on the test split", "nats", true},
	{"test_err", Vision, "fraction of the test split the iterate misclassifies", "fraction", true},
	{"ema_train_ce", Vision, "train_ce of the EMA of the iterates, BN statistics recomputed on the train split", "nats", true},
	{"ema_train_err", Vision, "train_err of the EMA (BN recalibrated)", "fraction", true},
	{"ema_test_ce", Vision, "test_ce of the EMA (BN recalibrated)", "nats", true},
	{"ema_test_err", Vision, "test_err of the EMA (BN recalibrated)", "fraction", true},
	{"train_batch_ce", Vision, "mean mini-batch cross-entropy (train mode) over the steps since the last evaluation", "nats", true},
	{"param_norm", Vision, "||w||: L2 norm of every non-buffer parameter (trainable and frozen)", "", false},
	{"ema_param_norm", Vision, "param_norm of the EMA", "", false},
	{"si_param_norm", Vision, "||w_si||: L2 norm of the scale-invariant group", "", false},
	{"ema_si_param_norm", Vision, "si_param_norm of the EMA", "", false},
	{"eff_lr", Vision, "lr / si_param_norm^2: the effective LR of SGD on scale-invariant weights (paper, Section 2)", "", false},
	{"angular_update", Vision, "mean over the steps since the last evaluation of the angle between consecutive w_si", "rad", false},
	{"si_grad_norm", Vision, "equilibrium cells: RMS over the epoch of ||grad w_si||", "", false},
	{"ell_prime2", Vision, "equilibrium cells: mean over the epoch of the batch mean of ||softmax - onehot||^2", "", false},

	{"jac_norm", Vision, "mean over the probe set of the Frobenius norm of the logits' Jacobian w.r.t. the parameters (eval mode)", "", false},
	{"ema_jac_norm", Vision, "jac_norm of the EMA", "", false},
	{"hess_trace", Vision, "Hutchinson estimate of the trace of the Hessian of the train cross-entropy", "", false},
	{"noise_scale", Vision, "mean over the noise set of ||softmax - onehot||^2, the SGD noise scale of the paper's Fig. 4", "", false},
	{"noise_scale_sqrt", Vision, "sqrt(noise_scale)", "", false},
	{"one_minus_py", Vision, "mean over the noise set of 1 - p(y|x)", "", false},
	{"noise_scale_avg", Vision, "mean of noise_scale over the points measured in the last probe.noise_avg_epochs epochs before the LR drop (the paper's Fig. 4 averages)", "", false},
	{"one_minus_py_avg", Vision, "mean of one_minus_py over the same points", "", false},
	{"noise_avg_points", Vision, "number of points noise_scale_avg averages so far", "points", false},
	{"ft_train_ce", Vision, "train_ce of a copy fine-tuned at a small LR without weight decay (paper, Fig. 5)", "nats", true},
	{"ft_train_err", Vision, "train_err of the fine-tuned copy", "fraction", true},
	{"ft_test_ce", Vision, "test_ce of the fine-tuned copy", "nats", true},
	{"ft_test_err", Vision, "test_err of the fine-tuned copy", "fraction", true},
	{"ft_param_norm", Vision, "param_norm of the fine-tuned copy", "", false},
	{"ft_jac_norm", Vision, "jac_norm of the fine-tuned copy", "", false},
	{"ft_hess_trace", Vision, "hess_trace of the fine-tuned copy", "", false},
	{"ens_size", Vision, "number of snapshots in the snapshot ensemble", "models", false},
	{"ens_test_err", Vision, "test_err of the snapshot ensemble (mean softmax of the last snapshots; paper, Tables 2-3)", "fraction", true},
	{"ens_test_ce", Vision, "test cross-entropy of the snapshot ensemble", "nats", true},
	{"ens_ema_tvd", Vision, "mean total-variation distance between the ensemble's and the EMA's test predictions", "", false},
	{"probe_s", Vision, "seconds the probes took at this evaluation", "s", false},

	{"train_loss", LM, "mean token cross-entropy of the iterate on eval_examples random train windows", "nats/token", true},
	{"train_err", LM, "fraction of those train tokens whose arg-max is wrong", "fraction", true},
	{"val_loss", LM, "mean token cross-entropy of the iterate on eval_examples random validation windows", "nats/token", true},
	{"val_err", LM, "fraction of those validation tokens whose arg-max is wrong", "fraction", true},
	{"ema_train_loss", LM, "train_loss of the EMA", "nats/token", true},
	{"ema_train_err", LM, "train_err of the EMA", "fraction", true},
	{"ema_val_loss", LM, "val_loss of the EMA", "nats/token", true},
	{"ema_val_err", LM, "val_err of the EMA", "fraction", true},
	{"train_batch_loss", LM, "mean training mini-batch loss over the steps since the last evaluation", "nats/token", true},
	{"param_norm", LM, "||w||: L2 norm of every non-buffer parameter", "", false},
	{"ema_param_norm", LM, "param_norm of the EMA", "", false},
	{"decayed_norm", LM, "||w_dec||: L2 norm of the weight-decayed parameters (matrices and embeddings)", "", false},
	{"decayed_eff_lr", LM, "lr / decayed_norm: AdamW's effective LR (paper, Fig. 7)", "", false},
	{"adam_elr", LM, "mean over trainable scalars with Adam state of lr / (sqrt(v) + eps), v not bias-corrected (the authors' avg_adam_elr)", "", false},
	{"grad_norm", LM, "global gradient norm of the last step, before clipping", "", false},
	{"clip_frac", LM, "fraction of all steps so far whose gradient was clipped", "fraction", false},

	{"wall_s", Vision, "wall-clock seconds of training so far", "s", false},
	{"wall_s", LM, "wall-clock seconds of training so far", "s", false},
	{"samples_per_s", Vision, "training throughput since the last evaluation", "images/s", false},
	{"samples_per_s", LM, "training throughput since the last evaluation", "tokens/s", false},
}

// LowerIsBetter reports whether summary.json's "best" holds key's minimum.
// A key's rows agree on it; unknown keys have no best.
func LowerIsBetter(key string) bool {
	for _, m := range Metrics {
		if m.Key == key {
			return m.Lower
		}
	}
	return false
}

// Label is key with its unit, for axes: "test_err (fraction)".
func Label(key string) string {
	for _, m := range Metrics {
		if m.Key == key && m.Unit != "" {
			return key + " (" + m.Unit + ")"
		}
	}
	return key
}

// legacyLM maps the LM keys of run directories written before the decayed
// group got its own keys to the current ones.
var legacyLM = map[string]string{"si_param_norm": "decayed_norm", "eff_lr": "decayed_eff_lr"}

// upgrade renames the legacy keys of an LM point (one recording tokens,
// which vision points never do) in place.
func upgrade(p Point) {
	if _, lm := p["tokens"]; !lm {
		return
	}
	for old, cur := range legacyLM {
		if v, ok := p[old]; ok {
			if _, has := p[cur]; !has {
				p[cur] = v
			}
			delete(p, old)
		}
	}
}
