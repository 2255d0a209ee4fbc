#!/usr/bin/env bash
# Rebuild moot's vendored front-end assets.
#
# Installs the pinned packages from package-lock.json, compiles
# scss/moot.scss (GOV.UK Frontend with moot's settings) and copies the
# vendored files into the places moot serves or tests them from:
#
#   src/moot/static/moot/moot.css                     compiled, minified CSS
#   src/moot/static/moot/govuk-frontend.min.js        GOV.UK Frontend ES module
#   src/moot/static/moot/govuk-frontend-LICENSE.txt   its MIT licence
#   tests/assets/axe.min.js                           axe-core, for a11y tests
#   tests/assets/axe-core-LICENSE.txt                 its MPL-2.0 licence
#   tests/assets/axe-core-LICENSE-3RD-PARTY.txt       licences of code it bundles
#
# moot.js, supported.js and the favicons in src/moot/static/moot/ are moot's
# own hand-written files and are not touched here. Commit the output: running
# moot never needs Node.
set -euo pipefail

frontend_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$frontend_dir")"
static_dir="$repo_dir/src/moot/static/moot"
test_assets_dir="$repo_dir/tests/assets"
modules="$frontend_dir/node_modules"

cd "$frontend_dir"

# --ignore-scripts: nothing here needs an install script (sass's optional
# file watcher is not used for a one-off build).
npm ci --ignore-scripts --no-audit --no-fund

mkdir -p "$static_dir" "$test_assets_dir"

echo "Compiling scss/moot.scss"
"$modules/.bin/sass" \
  --pkg-importer=node \
  --quiet-deps \
  --no-source-map \
  --style=compressed \
  scss/moot.scss "$static_dir/moot.css"

# moot must not ship GDS Transport (it is licensed for gov.uk only), fonts of
# any kind, or a crest/crown image; nor refer to files it does not ship.
fail=0
if grep -q '@font-face' "$static_dir/moot.css"; then
  echo "error: moot.css contains an @font-face rule" >&2
  fail=1
fi
if grep -qi 'GDS Transport' "$static_dir/moot.css"; then
  echo "error: moot.css mentions GDS Transport" >&2
  fail=1
fi
if grep -qiE 'url\([^)]*(crest|crown|\.woff|\.ttf|\.otf)' "$static_dir/moot.css"; then
  echo "error: moot.css refers to a crest, crown or font file" >&2
  fail=1
fi
# Every url() in moot.css must point at a file that exists beside it.
while IFS= read -r ref; do
  [ -z "$ref" ] && continue
  case "$ref" in data:*) continue ;; esac
  if [ ! -f "$static_dir/$ref" ]; then
    echo "error: moot.css refers to missing file $ref" >&2
    fail=1
  fi
done < <(grep -oE 'url\([^)]*\)' "$static_dir/moot.css" | sed -E 's/^url\(["'"'"']?//; s/["'"'"']?\)$//' | sort -u)
if [ "$fail" -ne 0 ]; then
  exit 1
fi

echo "Copying GOV.UK Frontend JavaScript"
# Drop the source map comment: the map is not shipped.
sed -e 's|//# sourceMappingURL=[^ ]*$||' \
  "$modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" \
  > "$static_dir/govuk-frontend.min.js"
# The npm package does not include its licence file, so a copy is kept here.
cp "$frontend_dir/govuk-frontend-LICENSE.txt" "$static_dir/govuk-frontend-LICENSE.txt"

echo "Copying axe-core"
cp "$modules/axe-core/axe.min.js" "$test_assets_dir/axe.min.js"
cp "$modules/axe-core/LICENSE" "$test_assets_dir/axe-core-LICENSE.txt"
cp "$modules/axe-core/LICENSE-3RD-PARTY.txt" "$test_assets_dir/axe-core-LICENSE-3RD-PARTY.txt"

govuk_version="$(node -p 'require("./node_modules/govuk-frontend/package.json").version')"
axe_version="$(node -p 'require("./node_modules/axe-core/package.json").version')"
echo "Built moot.css ($(wc -c < "$static_dir/moot.css") bytes) with govuk-frontend $govuk_version; axe-core $axe_version"
