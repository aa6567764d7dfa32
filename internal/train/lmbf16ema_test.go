package train

import "testing"

// In a native bf16 run the EMA is evaluated in bf16 like the iterate: at
// step 0 the EMA equals the iterate, so their losses agree exactly.
func TestLMBF16EMAEvaluatedInBF16(t *testing.T) {
	cfg := lmCfg(t)
	cfg.Precision = "bf16"
	r, err := newLMRunner(cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.measure(0, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if m["ema_val_loss"] != m["val_loss"] || m["ema_train_loss"] != m["train_loss"] {
		t.Fatalf("step 0: ema_val_loss %v vs val_loss %v, ema_train_loss %v vs train_loss %v (want equal: the same weights in the same precision)",
			m["ema_val_loss"], m["val_loss"], m["ema_train_loss"], m["train_loss"])
	}
}
