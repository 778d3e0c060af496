#!/usr/bin/env bash
# Debian's Chromium for the GraphiQL browser test (playwright-core drives it; no browser download).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
