#!/usr/bin/env bash
# Rebuild lstm_lessons/resources/deck_assets.tar.xz: the JavaScript and CSS an offline slide deck
# needs (`python -m lstm_lessons slides`), taken from their npm packages. Needs npm and the registry.
# Versions and licences are recorded in lstm_lessons/resources/DECK_ASSETS.md; change both together.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent reveal.js@4.0.2 requirejs@2.3.7 jquery@3.7.1 mathjax@3.2.2 @jupyter-widgets/html-manager@1.0.15 >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
A=deck_assets
R=reveal.js-4.0.2/package
mkdir -p $A/reveal.js/dist/theme/fonts/source-sans-pro $A/reveal.js/plugin/notes
cp $R/dist/reveal.js $R/dist/reveal.css $R/dist/reset.css $A/reveal.js/dist/
cp $R/dist/theme/white.css $A/reveal.js/dist/theme/
cp $R/dist/theme/fonts/source-sans-pro/{*.woff,*.css,LICENSE} $A/reveal.js/dist/theme/fonts/source-sans-pro/
cp $R/plugin/notes/notes.js $A/reveal.js/plugin/notes/
cp $R/LICENSE $A/reveal.js/LICENSE
cp requirejs-2.3.7/package/require.js $A/
cp jquery-3.7.1/package/dist/jquery.min.js $A/
cp jquery-3.7.1/package/LICENSE.txt $A/jquery.LICENSE.txt
cp mathjax-3.2.2/package/es5/tex-svg.js $A/
cp mathjax-3.2.2/package/LICENSE $A/mathjax.LICENSE
cp jupyter-widgets-html-manager-1.0.15/package/dist/embed-amd.js $A/
cp jupyter-widgets-html-manager-1.0.15/package/dist/*.woff2 $A/
# a fixed file order and dates, so the archive only changes when its contents do
tar --sort=name --mtime='2020-01-01 00:00Z' --owner=0 --group=0 --numeric-owner -cJf deck_assets.tar.xz $A
cp deck_assets.tar.xz "$ROOT/lstm_lessons/resources/deck_assets.tar.xz"
echo "wrote lstm_lessons/resources/deck_assets.tar.xz ($(du -h deck_assets.tar.xz | cut -f1))"
