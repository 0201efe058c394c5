# Switchboard: `make run` to start it, `make test` to test everything. See README.md.
.PHONY: deps build server web run test bench clean

BUILD_DIR := build
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/package.json web/package-lock.json \
	$(wildcard web/vite.config.* web/tsconfig*.json web/tailwind.config.* web/postcss.config.*)

deps:
	@scripts/install-deps.sh build

build: deps server web

server:
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	@cmake --build $(BUILD_DIR)

web: web/dist/index.html

web/dist/index.html: $(WEB_SOURCES)
	@cd web && npm run build

run: build
	@mkdir -p data
	@exec $(BUILD_DIR)/switchboard serve --data-dir ./data

test:
	@scripts/install-deps.sh test
	@$(MAKE) --no-print-directory server web
	@scripts/test.sh

bench:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory server web
	@bench/run.sh && bench/webchat.sh && bench/ingest.sh && bench/e2e.sh && bench/ai.sh && bench/search.sh && bench/analytics.sh && bench/multi.sh && bench/chaos/run.sh && bench/chaos/cluster.sh && CHAOS_POLICY=hold bench/chaos/cluster.sh && scripts/backup-test.sh

clean:
	rm -rf $(BUILD_DIR) web/dist
