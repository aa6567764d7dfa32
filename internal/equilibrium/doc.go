// Package equilibrium owns the norm-equilibrium experiment (paper, Section 2 and
// Proposition 2):
// a scale-invariant BN-MLP (non-affine BN, frozen head) trained by plain
// SGD with weight decay at a constant learning rate over a grid of
// (lr, wd) cells that share products lr*wd. Over the stationary window at
// the end of each cell it measures the weight norm of the scale-invariant
// group, the angular update per step, the effective LR lr/||w||^2, the
// mean squared loss derivative ||softmax - onehot||^2 and the train loss,
// and compares them with the theory: angular update sqrt(2 lr wd),
// ||w||^4 = lr E||g(w~)||^2 / (2 wd), l'^2 proportional to wd/lr, and equal
// dynamics for equal lr*wd. Run writes summary.json, equilibrium.png/.svg
// and each cell's per-epoch metrics under cells/.
package equilibrium
