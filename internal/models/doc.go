// Package models builds the paper's model descriptions (nn.Desc): the CIFAR
// PreAct-ResNet and its scale-invariant variant, VGG-16 without BN, and a
// BN-MLP. Descriptions are data; executors build them.
package models
