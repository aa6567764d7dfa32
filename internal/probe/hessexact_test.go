package probe

import (
	"math"
	"math/rand/v2"
	"testing"

	"wdlab/internal/data"
	"wdlab/internal/models"
	"wdlab/internal/nn"
)

// hessCase is a ReLU network with non-trivial BN running statistics and a
// small dataset for it.
type hessCase struct {
	name string
	m    *nn.Model
	ds   *data.Dataset
}

// hessCases are the BN-MLP and PreAct-ResNet presets (the second with a
// strided stage and a projection shortcut), plus a max-pool net and the
// avg-pool net with a frozen head.
func hessCases(t *testing.T) []hessCase {
	mlp, err := models.BNMLP([]int{6, 5}, []int{4, 4, 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	res, err := models.PreActResNet(models.ResNetSpec{Blocks: []int{1, 1}, Width: 3}, []int{6, 6, 2}, 3)
	if err != nil {
		t.Fatal(err)
	}
	maxNet := []nn.OpDesc{
		{Kind: nn.OpConv, Name: "conv", Out: 4, Kernel: 3, Pad: 1, Bias: true},
		{Kind: nn.OpReLU, Name: "relu"},
		{Kind: nn.OpMaxPool, Name: "pool", Kernel: 2},
		{Kind: nn.OpFlatten, Name: "flat"},
		{Kind: nn.OpLinear, Name: "head", Out: 3, Bias: true}}
	return []hessCase{
		{"bn-mlp", withStats(t, buildDesc(t, mlp)), data.Synthetic(24, 4, 4, 1, 3, 5)},
		{"preact-resnet", withStats(t, buildDesc(t, res)), data.Synthetic(12, 6, 6, 2, 3, 6)},
		{"maxpool", build(t, []int{4, 4, 2}, 3, maxNet...), data.Synthetic(10, 4, 4, 2, 3, 7)},
		{"avgpool-frozen-head", tinyConvNet(t), data.Synthetic(10, 4, 4, 2, 3, 8)},
	}
}

// buildDesc builds and initialises a preset.
func buildDesc(t *testing.T, d nn.Desc) *nn.Model {
	t.Helper()
	m, err := nn.Build(d)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(7)
	return m
}

// withStats gives every BN layer random running statistics and affine
// parameters, as after training, so eval mode is a real affine map.
func withStats(t *testing.T, m *nn.Model) *nn.Model {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, bn := range m.BatchNorms() {
		for j := range bn.C {
			bn.RunMean.W[j] = float32(0.3 * rng.NormFloat64())
			bn.RunVar.W[j] = float32(0.5 + rng.Float64())
			if bn.Gamma != nil {
				bn.Gamma.W[j] = float32(1 + 0.3*rng.NormFloat64())
				bn.Beta.W[j] = float32(0.2 * rng.NormFloat64())
			}
		}
	}
	return m
}

// Every single v^T H v of ExactHVP, for Gaussian and Rademacher v, equals
// the float64 second-order forward-mode reference to 1e-3 (the old central
// differences, whose step flipped ReLU and max-pool states, were off by
// factors).
func TestExactHVPMatchesReference(t *testing.T) {
	for _, c := range hessCases(t) {
		hv, dim, err := ExactHVP(c.m, c.ds, 5)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(11, 12))
		v, out := make([]float64, dim), make([]float64, dim)
		for k := range 6 {
			for i := range v {
				if k%2 == 0 {
					v[i] = rng.NormFloat64()
				} else {
					v[i] = rademacher(rng)
				}
			}
			hv(v, out)
			var got float64
			for i := range v {
				got += v[i] * out[i]
			}
			want := refVHV(c.m, c.ds, trainableDir(c.m, v))
			if relErr(got, want) > 1e-3 || math.IsNaN(got) {
				t.Errorf("%s, probe %d: v^T H v = %.6g, reference %.6g", c.name, k, got, want)
			}
		}
	}
}

// The Hutchinson estimate over 200 probes (no early stop) equals the mean
// of the reference v^T H v over the same Rademacher probes to 1e-3, and the
// exact trace (the sum of the reference e_i^T H e_i) within four standard
// errors.
func TestHutchinsonMatchesReference(t *testing.T) {
	const probes = 200
	for _, c := range hessCases(t) {
		hv, dim, err := ExactHVP(c.m, c.ds, 4)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := Hutchinson(hv, dim, probes, 0, rand.New(rand.NewPCG(21, 22)))
		rng := rand.New(rand.NewPCG(21, 22))
		v := make([]float64, dim)
		var sum, sum2 float64
		for range probes {
			for i := range v {
				v[i] = rademacher(rng)
			}
			q := refVHV(c.m, c.ds, trainableDir(c.m, v))
			sum += q
			sum2 += q * q
		}
		mean := sum / probes
		if relErr(got, mean) > 1e-3 {
			t.Errorf("%s: Hutchinson over %d probes = %.6g, reference over the same probes %.6g", c.name, probes, got, mean)
		}
		se := math.Sqrt((sum2/probes - mean*mean) / probes)
		if exact := refTrace(c.m, c.ds, dim); math.Abs(got-exact) > 4*se {
			t.Errorf("%s: Hutchinson = %.6g (%d probes, standard error %.3g), exact trace %.6g", c.name, got, probes, se, exact)
		}
	}
}

// The product has no step size; its only internal setting, the batch size
// of the pass over the data, does not change it: batch 1 and the whole set
// in one batch agree to float32 round-off.
func TestExactHVPBatchInvariant(t *testing.T) {
	for _, c := range hessCases(t) {
		hv1, dim, err := ExactHVP(c.m, c.ds, 1)
		if err != nil {
			t.Fatal(err)
		}
		hvAll, _, _ := ExactHVP(c.m, c.ds, c.ds.N)
		rng := rand.New(rand.NewPCG(31, 32))
		v, a, b := make([]float64, dim), make([]float64, dim), make([]float64, dim)
		for i := range v {
			v[i] = rademacher(rng)
		}
		hv1(v, a)
		hvAll(v, b)
		var qa, qb float64
		for i := range v {
			qa += v[i] * a[i]
			qb += v[i] * b[i]
		}
		if relErr(qa, qb) > 1e-5 {
			t.Errorf("%s: v^T H v = %.8g with batch 1, %.8g with batch %d", c.name, qa, qb, c.ds.N)
		}
	}
}
