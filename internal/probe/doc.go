// Package probe owns the paper's instruments that go beyond the training
// loop's own metrics (paper, Section 2, Figs. 3-5, Tables 2-3): the
// per-example Jacobian norm of the logits with respect to the parameters
// (exact, and an unbiased random-projection estimator), the Hutchinson
// trace of the Hessian of the mean cross-entropy (exact Hessian-vector
// products), the noise scale ||softmax - onehot||^2 (per epoch and averaged
// over the last epochs before the LR drop), fine-tuning copies of the
// iterate, and snapshot ensembles compared with the EMA.
//
// NewHook, listed in train.Options.Hooks, builds one train.Hook that reads the run's
// probe.* config and logs, at the configured epoch intervals: jac_norm,
// ema_jac_norm, ft_jac_norm, hess_trace, ft_hess_trace, noise_scale,
// noise_scale_sqrt, one_minus_py, noise_scale_avg, one_minus_py_avg,
// noise_avg_points, ft_train_ce, ft_train_err, ft_test_ce,
// ft_test_err, ft_param_norm, ens_test_err, ens_test_ce, ens_size,
// ens_ema_tvd and probe_s (seconds spent in the probes this epoch).
// Every measurement is a deterministic function of the run state, the seed
// and the epoch, so resumed runs reproduce it.
package probe
