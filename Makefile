# The front door. `make check` runs the quick set of models against model-check/manifest.json;
# `make test` runs the tests. Only Java 17 and Maven are needed.
MVN ?= mvn -q -B
CLI := bin/mmu-check
CONFIG ?= default

.PHONY: build check check-all tlc export test explain diagrams refine bench clean

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

# every edge of TLC's state graph of CONFIG driven through the Java code, conformance both ways
refine: build
	$(CLI) refine $(CONFIG) --graph

explain: build
	$(CLI) explain $(CONFIG)

# figures: the Java stress run, the replays, the graph refinement of default, and TLC on the scale models
bench: build
	$(CLI) stress --ops 1000000
	$(CLI) replay --all
	$(CLI) refine default --graph
	$(CLI) check --model scale --model scale-small --model scale-small-nosym

test:
	cd java-refinement && mvn -B test

clean:
	rm -rf build java-refinement/target
