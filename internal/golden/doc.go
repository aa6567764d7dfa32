// Package golden compares wdlab's native engine and optimizers with an
// independent framework, the way llm.c's test_gpt2.c compares with PyTorch:
// scripts/golden_torch.py (run by hand) writes, for a BN-MLP, a small
// PreAct-ResNet and a tiny GPT, the initial weights, one batch, the loss,
// every gradient and the weights after 3 SGD (momentum, coupled weight
// decay) and 3 AdamW steps to testdata/; the tests load the same weights
// into the native models, repeat the computation and compare at float32
// round-off. The package holds only those tests.
package golden
