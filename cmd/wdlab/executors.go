package main

import "wdlab/internal/train"

// executors are the engines `wdlab train` can hand a run's steps to
// besides the native one, by config.executor name.
var executors = train.Executors{"gomlx": newGomlxAccelerator, "dnnl": newDnnlAccelerator}
