package optim

// MatchLR is the effective-LR matching rule of the paper's Section 3 (Fig. 7) for AdamW,
// whose effective LR is lr/||w||: it returns the learning rate
// lr' = targetEffLR * normNow that gives a run whose weight norm is now
// normNow the effective LR targetEffLR. For Fig. 7 the target is
// eta_t/||w_t|| of the weight-decay run (logged offline) and normNow the
// live norm of the lambda=0 run, so lr' = eta_t*||w'_t||/||w_t||.
func MatchLR(targetEffLR, normNow float64) float64 { return targetEffLR * normNow }
