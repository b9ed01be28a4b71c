#!/usr/bin/env bash
# Validates every state machine definition in this directory
# (infra/statemachine/*.asl.json) with asl-validator, the npm package
# pinned in package.json / package-lock.json. Exits non-zero if any
# definition is invalid (or none is found). Installs the pinned package
# with `npm ci` first when node_modules lacks it, so CI can call this
# script on a fresh clone.
#
# The definitions build every ARN with the partition, "${Partition}", which
# template.yaml's DefinitionSubstitutions fills in (aws-cn in production).
# asl-validator checks Resource ARNs and 4.0.0's --no-arn-check does not
# work, so each definition is validated as deployed: with ${Partition}
# replaced by $PARTITION (default aws-cn). Other ${...} substitutions
# (FunctionName values) are left as they are; asl-validator does not
# check Parameters.
#
# asl-validator checks the definitions against the Amazon States Language
# as AWS publishes it; the Go interpreter (shared/workflow/asl) also
# refuses what it does not implement.
set -euo pipefail

cd "$(dirname "$0")"
here="$(pwd)"
partition="${PARTITION:-aws-cn}"

if [[ ! -x node_modules/.bin/asl-validator ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

shopt -s nullglob
defs=(*.asl.json)
if ((${#defs[@]} == 0)); then
  echo "validate.sh: no *.asl.json in $(pwd)" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

failed=0
for def in "${defs[@]}"; do
  sed "s/\${Partition}/${partition}/g" "$def" >"$tmp/$def"
  # One run per file so every invalid file is reported.
  if ! (cd "$tmp" && npx --prefix "$here" --no-install asl-validator --json-path "$def"); then
    failed=1
  fi
done
exit "$failed"
