"""Transform template.yaml with AWS's SAM translator, then cfn-lint the result.

For each partition and region the stack deploys to (the aws partition's
us-east-1; the aws-cn partition's cn-north-1 and cn-northwest-1), this does
what `sam validate` does, offline and without credentials: it replaces the
local CodeUri of every function with an S3 URI (as `sam package` would),
inlines each state machine's DefinitionUri file as its Definition (so that
cfn-lint checks the state machine too), and runs samtranslator's Translator
with a boto3 session that names the region and so the partition (no AWS call
is made). The CloudFormation template it produces is written to
dist/cfn/<region>.json and checked by cfn-lint with --regions <region>.

It prints one line per region with the error and warning counts, then every
finding, and exits 1 when the translator refuses the template or cfn-lint
reports an error (warnings are listed, not fatal).

Run by make lint-template: .venv/bin/python infra/lint_template.py
"""

import argparse
import copy
import json
import logging
import os
import subprocess
import sys

import boto3
from cfnlint.decode import decode
from samtranslator import __version__ as translator_version
from samtranslator.parser import parser
from samtranslator.public.exceptions import InvalidDocumentException
from samtranslator.translator.translator import Translator

# partition → the regions of the README's deploy section.
TARGETS = {
    "aws": ["us-east-1"],
    "aws-cn": ["cn-north-1", "cn-northwest-1"],
}

ARTIFACTS_BUCKET = "hrss-sam-artifacts"


def localize(sam: dict, template_dir: str) -> dict:
    """Returns a copy of sam with local paths replaced as sam package would."""
    sam = copy.deepcopy(sam)
    for name, res in sam.get("Resources", {}).items():
        props = res.get("Properties", {})
        if res.get("Type") == "AWS::Serverless::Function":
            uri = props.get("CodeUri")
            if isinstance(uri, str) and not uri.startswith("s3://"):
                props["CodeUri"] = f"s3://{ARTIFACTS_BUCKET}/{name}.zip"
        if res.get("Type") == "AWS::Serverless::StateMachine":
            uri = props.get("DefinitionUri")
            if isinstance(uri, str):
                with open(os.path.join(template_dir, uri), encoding="utf-8") as f:
                    props["Definition"] = json.load(f)
                del props["DefinitionUri"]
    return sam


def translate(sam: dict, region: str) -> dict:
    """Transforms sam for region; the session only names the region."""
    session = boto3.session.Session(region_name=region)
    translator = Translator(managed_policy_map=None, sam_parser=parser.Parser(), plugins=[], boto_session=session)
    return translator.translate(sam_template=copy.deepcopy(sam), parameter_values={}, get_managed_policy_map=lambda: {})


def lint(cfnlint: str, path: str, region: str) -> list:
    """Runs cfn-lint on path for region and returns its findings."""
    out = subprocess.run(
        [cfnlint, "--format", "json", "--regions", region, "--", path],
        capture_output=True,
        text=True,
        check=False,
    )
    # cfn-lint's exit code is a bit mask of the levels found (2 error, 4
    # warning, 8 informational); 1 is its own failure.
    if out.returncode & 1:
        sys.exit(f"cfn-lint failed on {path}: {out.stderr}")
    return json.loads(out.stdout or "[]")


def main() -> int:
    # The translator's metrics are never published here; its warning about
    # that at exit is noise.
    logging.getLogger("samtranslator.metrics.metrics").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--template", default="template.yaml")
    ap.add_argument("--out", default="dist/cfn", help="where the translated templates are written")
    ap.add_argument("--cfn-lint", default=os.path.join(os.path.dirname(sys.executable), "cfn-lint"))
    args = ap.parse_args()

    sam, problems = decode(args.template)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 1
    sam = localize(sam, os.path.dirname(os.path.abspath(args.template)))
    os.makedirs(args.out, exist_ok=True)
    version = subprocess.run([args.cfn_lint, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    print(f"aws-sam-translator {translator_version}, {version}")

    failed = False
    findings = []
    for partition, regions in TARGETS.items():
        for region in regions:
            try:
                cfn = translate(sam, region)
            except InvalidDocumentException as e:
                causes = " ".join(str(c) for c in e.causes)
                print(f"{partition:7} {region:15} translator refused the template: {e} {causes}")
                failed = True
                continue
            path = os.path.join(args.out, f"{region}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(cfn, f, indent=1, sort_keys=True)
            got = lint(args.cfn_lint, path, region)
            errors = [m for m in got if m["Level"] == "Error"]
            warnings = [m for m in got if m["Level"] == "Warning"]
            print(
                f"{partition:7} {region:15} {len(cfn['Resources'])} resources, "
                f"{len(errors)} errors, {len(warnings)} warnings, {len(got) - len(errors) - len(warnings)} informational"
            )
            failed = failed or bool(errors)
            findings += [(region, m) for m in got]
    for region, m in findings:
        loc = m["Location"]
        path = "/".join(str(p) for p in loc.get("Path") or [])
        msg = m["Message"] if len(m["Message"]) <= 160 else m["Message"][:160] + "…"
        print(f"  {region} {m['Level']} {m['Rule']['Id']} {path}: {msg}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
