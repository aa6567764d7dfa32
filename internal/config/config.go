package config

// Config is a fully resolved run configuration; config.yaml in a run
// directory is this struct marshalled.
type Config struct {
	Name     string `yaml:"name"`
	Seed     uint64 `yaml:"seed"`
	Executor string `yaml:"executor"` // native | gomlx | dnnl (unset: DefaultExecutor)
	// GomlxBackend is the GoMLX backend: "go" (pure Go, CPU) or
	// "xla:/abs/path/plugin.so" (PJRT plugin, e.g. CUDA).
	GomlxBackend string `yaml:"gomlx_backend"`
	Precision    string `yaml:"precision"` // fp32 | bf16
	Data         Data   `yaml:"data"`
	Model        Model  `yaml:"model"`
	Optim        Optim  `yaml:"optim"`
	Train        Train  `yaml:"train"`
	Probe        Probe  `yaml:"probe"`
}

// Data selects the dataset.
type Data struct {
	Name string `yaml:"name"` // fashion-mnist | cifar10 | cifar100 | tiny-imagenet | cifar5m | synthetic | tokens | kjv
	Dir  string `yaml:"dir"`  // "" = the dataset's default location
	// TestDir (cifar5m only) is a CIFAR-10 binary directory whose
	// test_batch.bin is the test split; "" = held-out CIFAR-5m images.
	TestDir string `yaml:"test_dir,omitempty"`
	// TrainPerClass keeps the first N training examples of each class (0 = all).
	TrainPerClass int `yaml:"train_per_class"`
	// TestPerClass does the same for the test split (0 = all).
	TestPerClass int  `yaml:"test_per_class"`
	Standardize  bool `yaml:"standardize"` // per-channel standardisation with train statistics
	// Tokenizer for LM data prepared on the fly: byte | gpt2.
	Tokenizer string `yaml:"tokenizer"`
	// OnePass makes LM training visit each token at most once.
	OnePass bool `yaml:"one_pass"`
}

// Model selects and sizes the architecture.
type Model struct {
	Arch   string `yaml:"arch"`   // preact-resnet | preact-resnet-si | vgg16 | bn-mlp | gpt
	Width  int    `yaml:"width"`  // ResNet/VGG base width
	Blocks []int  `yaml:"blocks"` // ResNet blocks per stage
	Hidden []int  `yaml:"hidden"` // BN-MLP hidden widths
	// GPT.
	Layers int `yaml:"layers"`
	Dim    int `yaml:"dim"`
	Heads  int `yaml:"heads"`
	Ctx    int `yaml:"ctx"`
	Vocab  int `yaml:"vocab"`
}

// Optim configures the optimiser and its schedule.
type Optim struct {
	Name      string  `yaml:"name"` // sgd | adamw | adam-l2
	LR        float64 `yaml:"lr"`
	WD        float64 `yaml:"wd"`
	Momentum  float64 `yaml:"momentum"`
	Decoupled bool    `yaml:"decoupled"` // SGD: decoupled instead of coupled WD
	Beta1     float64 `yaml:"beta1"`
	Beta2     float64 `yaml:"beta2"`
	Eps       float64 `yaml:"eps"`
	GradClip  float64 `yaml:"grad_clip"` // 0 = off
	// Schedule: constant | step (one drop to LRAfter at DropAt x training, WD kept) | cosine (warm-up + cosine to MinLR).
	Schedule string  `yaml:"schedule"`
	DropAt   float64 `yaml:"drop_at"`
	LRAfter  float64 `yaml:"lr_after"`
	Warmup   int     `yaml:"warmup"` // warm-up steps (cosine)
	MinLR    float64 `yaml:"min_lr"`
	// DecaySteps is the step at which the cosine reaches MinLR (0 =
	// train.steps); longer than train.steps, the run stops before the end
	// of its decay (the paper's appendix "slower decay" runs).
	DecaySteps int `yaml:"decay_steps"`
	// WDInclude lists parameter-name substrings that get WD (LM); empty = the model's default.
	WDInclude []string `yaml:"wd_include"`
	// MatchEffLR names a finished LM run directory: this run's LR is then set
	// online so that lr/||w_dec|| follows that run's decayed_eff_lr (paper, Fig. 7).
	MatchEffLR string `yaml:"match_eff_lr"`
}

// Train configures the loop.
type Train struct {
	// Epochs is a vision run's length in whole epochs when Steps is 0.
	Epochs int `yaml:"epochs"`
	// Steps is the run's length in optimizer steps: required for the LM;
	// for vision it replaces Epochs and is exact (the last epoch may be
	// partial, the one-drop schedule drops at step round(drop_at*steps)).
	Steps         int `yaml:"steps"`
	BatchSize     int `yaml:"batch_size"`
	GradAccum     int `yaml:"grad_accum"`
	EvalBatchSize int `yaml:"eval_batch_size"`
	// EvalEvery and CheckpointEvery count the run's unit: epochs for a
	// vision run budgeted in epochs, steps when Steps is set (LM, and vision
	// with train.steps). The last step is always evaluated and
	// checkpointed; CheckpointEvery 0 = only at the end (and on a stop).
	EvalEvery       int     `yaml:"eval_every"`
	EvalExamples    int     `yaml:"eval_examples"`
	EMA             float64 `yaml:"ema"` // EMA coefficient per step; 0 = off
	CheckpointEvery int     `yaml:"checkpoint_every"`
	// InitFrom names an LM run directory whose checkpoint supplies the
	// initial weights; optimizer and EMA state start fresh unless InitState.
	InitFrom string `yaml:"init_from"`
	// InitStep picks the checkpoint of InitFrom kept at that step (see
	// KeepCheckpoints); 0 = its last checkpoint.
	InitStep int `yaml:"init_step"`
	// InitState continues from InitFrom's checkpoint with its Adam state,
	// EMA and data position (the paper's tiny-LR fine-tuning from a mid-run
	// checkpoint): this run's optim settings (a new WD and schedule) and
	// train.steps (a fresh step budget) apply from there on.
	InitState bool `yaml:"init_state"`
	// KeepCheckpoints lists LM steps whose checkpoint is also kept as
	// checkpoints/step-N.safetensors (each a multiple of eval_every and
	// checkpoint_every), for later runs to start from with init_step.
	KeepCheckpoints []int `yaml:"keep_checkpoints"`
	// InitWeights names a safetensors file in PyTorch's names and layouts
	// (see wdlab export --torch) that replaces the vision model's initial
	// weights and BN statistics.
	InitWeights string `yaml:"init_weights,omitempty"`
	// DivergeLoss ends the run as diverged when the training loss exceeds it (or is NaN/Inf).
	DivergeLoss float64 `yaml:"diverge_loss"`
}

// Probe switches on the paper's instruments at evaluation points (intervals
// in the run's unit, as train.eval_every; 0 = off).
type Probe struct {
	JacEvery     int     `yaml:"jac_every"`
	JacPerClass  int     `yaml:"jac_per_class"`
	HessEvery    int     `yaml:"hess_every"`
	HessPerClass int     `yaml:"hess_per_class"`
	HessProbes   int     `yaml:"hess_probes"`
	NoiseEvery   int     `yaml:"noise_every"`
	FTEvery      int     `yaml:"ft_every"`
	FTEpochs     int     `yaml:"ft_epochs"`
	FTLR         float64 `yaml:"ft_lr"`
	SphereRadius float64 `yaml:"sphere_radius"` // >0: project all trainable params to this radius each epoch
	EnsSnapshots int     `yaml:"ens_snapshots"` // snapshot ensemble size (0 = off)
	EnsFrom      int     `yaml:"ens_from"`      // first epoch to snapshot

	// NoiseAvgEpochs is the length of the window of last large-LR epochs
	// (those before a step drop, else the last epochs of the run) over
	// which the noise scale is averaged (noise_scale_avg); the noise is
	// measured at every evaluated epoch (train.eval_every) in the window.
	NoiseAvgEpochs int `yaml:"noise_avg_epochs"`
}

// Default returns the defaults every config file is decoded onto.
func Default() Config {
	return Config{
		Seed: 42, Executor: "native", GomlxBackend: "go", Precision: "fp32",
		Data:  Data{Name: "fashion-mnist", Standardize: true, Tokenizer: "byte"},
		Model: Model{Arch: "preact-resnet", Width: 16, Blocks: []int{2, 2, 2, 2}, Hidden: []int{256, 256}},
		Optim: Optim{Name: "sgd", LR: 0.1, Schedule: "step", DropAt: 0.5, LRAfter: 1e-3, Beta1: 0.9, Beta2: 0.95, Eps: 1e-8},
		Train: Train{Epochs: 10, BatchSize: 128, GradAccum: 1, EvalBatchSize: 1000, EvalEvery: 1, EMA: 0.999, DivergeLoss: 1e3, EvalExamples: 256},
		Probe: Probe{JacPerClass: 50, HessPerClass: 50, HessProbes: 20, FTEpochs: 5, FTLR: 1e-3, NoiseAvgEpochs: 10},
	}
}
