# The front door. `make check` runs the quick set of models against model-check/manifest.json;
# `make test` runs the tests. Only Java 17 and Maven are needed.
MVN ?= mvn -q -B
CLI := bin/mmu-check
CONFIG ?= default

.PHONY: build check check-all tlc export test explain diagrams runs viewer-screenshots refine refine-all refine-random bench bench-scale clean

build:
	cd java-refinement && $(MVN) -DskipTests compile

check: build
	$(CLI) check
	$(CLI) replay --all
	$(CLI) diagram --check
	$(CLI) refine default --graph
	$(CLI) refine prepatch --graph

check-all: build
	$(CLI) check --all

# CONFIG is a model of the manifest or the path of any .cfg
tlc: build
	$(CLI) tlc $(CONFIG) --log

# rerun every model but the scale ones; record the figures and counterexamples whose bytes change
export: build
	$(CLI) export

# regenerate model-check/diagrams/ (the sequence diagram of every committed counterexample)
diagrams: build
	$(CLI) diagram --all

# the viewer's screenshots README embeds, taken by its headless-Chromium test (needs chromium)
viewer-screenshots:
	cd java-refinement && $(MVN) test -Dtest='ViewerBrowserTest#screenshotsShowTheBreakingAndTheReachedStep' -Dviewer.screenshots=../model-check/viewer/screenshots

# ask TLC again for the correct runs of model-check/runs/runs.json, then regenerate every diagram page
runs: build
	$(CLI) diagram --runs

# every edge of TLC's state graph of CONFIG driven through the Java code, conformance both ways
refine: build
	$(CLI) refine $(CONFIG) --graph

# every passing quick-set model and every wrap-* model, edge for edge, both ways (a liveness model by its safety graph);
# every variable recomputed at every state, and a change the Java code did not mark is a divergence (the audit)
refine-all: build
	$(CLI) refine --graph --all --compare audit

# RANDOM random behaviours of each passing full-set and scale model but wrap-* (one TLC process per model walks them over
# its next-state function, its verdict at every state), each driven through the Java code; not in `make check`
RANDOM ?= 1000
refine-random: build
	$(CLI) refine --random $(RANDOM) --all

explain: build
	$(CLI) explain $(CONFIG)

# figures: the graph refinement of default (steps per second, and its time against TLC's own for the model, in one
# run), the Java stress run, the replays (a few minutes)
bench: build
	$(CLI) refine default --graph
	$(CLI) stress --ops 1000000
	$(CLI) replay --all

# TLC on the scale models (long: scale alone had passed 12 million states after 21 minutes on 2 cores when it was stopped)
bench-scale: build
	$(CLI) check --model scale --model scale-small --model scale-small-nosym

test:
	cd java-refinement && mvn -B test

clean:
	rm -rf build java-refinement/target
