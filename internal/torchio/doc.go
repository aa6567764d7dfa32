// Package torchio converts the weights of wdlab's vision models to and from
// PyTorch's names and layouts, as safetensors files that
// safetensors.torch.load_file reads into a state_dict. Parameter names are
// already PyTorch's (dotted paths, "weight", "bias", "running_mean",
// "running_var"); the layouts differ: wdlab stores conv weights as
// [kh, kw, cin, cout] and linear weights as [in, out], PyTorch as
// [cout, cin, kh, kw] and [out, in]. BatchNorm's num_batches_tracked
// counter has no wdlab counterpart and is neither written nor read.
package torchio
