#!/usr/bin/env bash
# Remakes docs/stories.png, docs/story.png and docs/story-dark.png: the bundled seeds stored by `tidings demo`, served by `tidings web`,
# photographed by headless Chromium (Debian's package) at a desktop width and at a phone's.
#     bash docs/screenshots.sh [BINARY]        (default .build/debug/tidings)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/debug/tidings}"
work="$(mktemp -d)"
trap 'kill "$web" 2>/dev/null || true; rm -rf "$work"' EXIT
"$binary" demo --db "$work/demo.db" --seeds seeds >/dev/null
port=$((20000 + RANDOM % 20000))
"$binary" web --db "$work/demo.db" --listen "127.0.0.1:$port" 2>/dev/null &
web=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
shot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size="$2" --screenshot="$1" "${@:4}" "http://127.0.0.1:$port$3" 2>/dev/null
}
shot docs/story.png 1280,1400 /stories/1
shot docs/stories.png 390,700 /
shot docs/story-dark.png 390,700 /stories/1 --force-dark-mode --blink-settings=preferredColorScheme=0
echo "docs/story.png docs/stories.png docs/story-dark.png"
