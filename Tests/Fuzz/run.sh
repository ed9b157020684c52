#!/usr/bin/env bash
# Fuzz tidings' parsers of untrusted input with libFuzzer + AddressSanitizer.
#   bash Tests/Fuzz/run.sh [SECONDS] [TARGET...]      (default: 600 seconds each; targets feed html text config opml)
# Seeds come from ../shared/eval (feeds, pages, text dumps) and config/. Anything libFuzzer finds is copied to
# Tests/ServiceTests/Fixtures/fuzz/TARGET/, where FuzzRegressionTests replays it in every `swift test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(feed html text config opml)
shared="${TIDINGS_SHARED:-../shared}"
work=".build-fuzz/work"

TIDINGS_FUZZ=1 swift build --scratch-path .build-fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
    --product tidings-fuzz
bin=".build-fuzz/release/tidings-fuzz"

seed() {  # seed TARGET: fill the corpus folder once
    local dir="$work/corpus/$1"
    [ -d "$dir" ] && return
    mkdir -p "$dir"
    case "$1" in
        feed)   cp "$shared"/eval/feeds/cases/*.xml "$dir"/ 2>/dev/null || true
                cp "$shared"/eval/feeds/cases/*.json "$dir"/ 2>/dev/null || true ;;
        html)   for f in "$shared"/eval/extraction/data/html/*.html.gz; do gunzip -c "$f" > "$dir/$(basename "$f" .gz)"; done ;;
        text)   cp "$shared"/eval/extraction/data/text/* "$dir"/ 2>/dev/null || true; cp seeds/*.txt "$dir"/ ;;
        config) cp config/tidings.toml "$dir"/; cp Tests/ServiceTests/Fixtures/*.toml "$dir"/ 2>/dev/null || true ;;
        opml)   cp Tests/tidingsTests/Fixtures/opml/*.opml "$dir"/ ;;
    esac
}

status=0
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "$work/artifacts/$t" "Tests/ServiceTests/Fixtures/fuzz/$t"
    echo "== $t: ${seconds}s"
    # -rss_limit_mb: the html target keeps one page's tree; -max_len: large enough for real pages.
    if ! TIDINGS_FUZZ_TARGET="$t" ASAN_OPTIONS=detect_leaks=0 "$bin" "$work/corpus/$t" \
            -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$work/artifacts/$t/" -print_final_stats=1 2>"$work/$t.log"; then
        status=1
        tail -40 "$work/$t.log"
    fi
    grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$work/$t.log" || true
    for a in "$work/artifacts/$t"/*; do
        [ -e "$a" ] || continue
        cp "$a" "Tests/ServiceTests/Fixtures/fuzz/$t/"
        echo "finding kept as a regression test: Tests/ServiceTests/Fixtures/fuzz/$t/$(basename "$a")"
    done
done
exit $status
