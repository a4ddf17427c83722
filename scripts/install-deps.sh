#!/bin/sh
# install-deps.sh [--tests] [--bench] — install what docpipe needs on Debian 12,
# only what is missing (apt-get via sudo when not root; nothing when all is
# present, so it is quick to run every time).
#
#   (always)  build: compiler, cmake, pkg-config, libxml2, libzip, cmark-gfm, libyaml, gumbo, python3
#   --tests   validators and sanitizer toolchain: jing, epubcheck, Java, Chromium,
#             xmllint, valgrind, clang + its sanitizer runtime, GNU parallel, Node.js/npm,
#             pandoc with python3-pandocfilters (interop tests only), python3-pytest, python3-pip,
#             python3-venv, python3-setuptools and python3-wheel (the Python binding's
#             offline pip install test), python3-html5lib (GFM spec comparison), and
#             the npm validators pinned in tests/validators/package-lock.json
#             (scripts/install-validators.sh -> <repo>/.validators); for the corpus
#             test: cmark-gfm (its reference rendering), python3-yaml, and a JDK
#             (EPUBCheck on many books in one JVM, tests/corpus/EpubCheckBatch.java)
#   --bench   the benchmark's comparison tools: pandoc, cmark-gfm, xmllint,
#             hyperfine, GNU time, valgrind, zip and unzip (the EPUB floors)
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
tests=false
bench=false
for arg in "$@"; do
    case $arg in
    --tests) tests=true ;;
    --bench) bench=true ;;
    -h | --help)
        sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "install-deps: unknown option $arg (use --tests, --bench)" >&2
        exit 2
        ;;
    esac
done

packages="build-essential cmake pkg-config libxml2-dev libzip-dev libcmark-gfm-dev
libcmark-gfm-extensions-dev libyaml-dev libgumbo-dev python3"
if $tests; then
    packages="$packages jing epubcheck default-jre-headless chromium libxml2-utils
valgrind clang libclang-rt-14-dev
parallel pandoc python3-pandocfilters python3-pytest
python3-pip python3-venv python3-setuptools python3-wheel
cmark-gfm python3-yaml openjdk-17-jdk-headless python3-html5lib"
fi
if $bench; then
    packages="$packages pandoc cmark-gfm libxml2-utils hyperfine time valgrind zip unzip"
fi
# Node.js may come from elsewhere than Debian (NodeSource ships npm inside its
# nodejs package): ask apt only for what the commands show to be absent.
if $tests; then
    command -v node >/dev/null 2>&1 || packages="$packages nodejs"
    command -v npm >/dev/null 2>&1 || packages="$packages npm"
fi

missing=""
for p in $packages; do
    case " $missing " in *" $p "*) continue ;; esac
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing="$missing $p"
done

if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "install-deps: missing packages:$missing; run as root or install sudo" >&2
        exit 1
    fi
    echo "install-deps: installing$missing"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086 # the list is meant to split
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi

if $tests; then
    "$repo/scripts/install-validators.sh"
fi
