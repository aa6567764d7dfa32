# wdlab: build, demo and test. The SIMD kernels need GOEXPERIMENT=simd
# (Go 1.26); a plain build also works, with the portable kernels.
export GOEXPERIMENT := simd
GO ?= go
BIN := bin/wdlab
# The oneDNN vision executor is built in when its library is installed
# (evaluated late, after deps may have installed it); without it the build
# is the portable pure-Go one.
TAGS = $(shell test -f /usr/include/oneapi/dnnl/dnnl.h && echo dnnl)

.PHONY: all build deps demo test fuzz bench clean

all: build

build:
	$(GO) build -tags '$(TAGS)' -o $(BIN) ./cmd/wdlab

# Debian packages with the default data (Fashion-MNIST, the KJV Bible) and
# oneDNN for the vision executor.
deps:
	@if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || ! command -v bible >/dev/null || [ ! -f /usr/include/oneapi/dnnl/dnnl.h ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq dataset-fashion-mnist bible-kjv libdnnl-dev; \
	fi

# The main job: the flagship tiny experiment end to end on Fashion-MNIST.
demo: deps build
	$(BIN) exp run fig2 --scale tiny --out runs/fig2-tiny

# The test suite (what .ci/run runs).
test: deps
	$(GO) vet -tags '$(TAGS)' ./...
	$(GO) test -tags '$(TAGS)' -count=1 -timeout 20m ./...

# Every parser's fuzz target for FUZZTIME each (never a panic, always a clear error).
FUZZTIME ?= 60s
FUZZ := config:FuzzParse sweep:FuzzSweepParse data:FuzzIDXImages data:FuzzIDXLabels data:FuzzCIFAR data:FuzzNPYHeader tokens:FuzzReadTokens
fuzz:
	@for t in $(FUZZ); do pkg=$${t%%:*}; name=$${t#*:}; \
		echo "== $$name ($$pkg)"; \
		$(GO) test -run XXX -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./internal/$$pkg || exit 1; \
	done

bench: build
	$(BIN) bench resnet --width 16 --batch 128
	$(BIN) bench gpt --layers 4 --dim 128 --heads 4 --ctx 128 --vocab 256 --batch 16

clean:
	rm -rf bin
