package optim_test

import (
	"fmt"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// One LM-style iteration: schedule, clipping, AdamW, EMA.
func Example() {
	w := &nn.Param{Name: "attn.weight", W: []float32{3, 4}, G: []float32{6, 8}, Decay: true}
	gain := &nn.Param{Name: "ln.gain", W: []float32{1}, G: []float32{0}}
	params := []*nn.Param{w, gain}

	sched := optim.WarmupCosine{Max: 6e-4, Min: 6e-5, Warmup: 400, DecayEnd: 50000}
	opt := optim.NewAdamW()
	ema := optim.NewEMA(params, 0.99)

	lr := sched.At(200)
	norm, clipped := optim.ClipGradNorm(params, 1.0)
	opt.Step(params, lr, 0.1)
	ema.Update(params)

	fmt.Printf("lr %.0e, grad norm %.0f clipped %v\n", lr, norm, clipped)
	fmt.Printf("eff lr %.1e\n", lr/optim.ParamNorm(params, func(p *nn.Param) bool { return p.Decay }))
	// Output:
	// lr 3e-04, grad norm 10 clipped true
	// eff lr 6.0e-05
}
