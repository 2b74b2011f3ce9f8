#!/usr/bin/env python3
"""Re-creates the JSON schemas that infra/infra.test.ts validates the deployment files against.

Tests run without internet, so the schemas live in the repository. Their sources are two PyPI
packages (fetched with pip, pinned below):
  - kubernetes-validate: Kubernetes' OpenAPI definitions as JSON Schema (2020-12), one file per kind;
    only the kinds infra/k8s uses are kept, with only the definitions they reach.
  - check-jsonschema: vendors the Compose Specification's JSON schema.
Descriptions are dropped (validation does not read them) to keep the files small.

    python3 infra/schemas/vendor-schemas.py     # from the repository root
"""
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

KUBERNETES_VALIDATE = "kubernetes-validate==1.37.0"
CHECK_JSONSCHEMA = "check-jsonschema==0.39.0"
# The oldest Kubernetes minor the manifests promise to work on.
K8S_VERSION = "v1.32.0"
K8S_KINDS = [
    "configmap-v1",
    "deployment-apps-v1",
    "horizontalpodautoscaler-autoscaling-v2",
    "job-batch-v1",
    "poddisruptionbudget-policy-v1",
    "service-v1",
]
OUT = Path(__file__).resolve().parent
REF = re.compile(r"#/\$defs/([^\"]+)")


def download(requirement: str, into: Path) -> zipfile.ZipFile:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(into), requirement],
        check=True,
    )
    name = requirement.split("==")[0].replace("-", "_")
    (wheel,) = into.glob(f"{name}-*.whl")
    return zipfile.ZipFile(wheel)


def strip_descriptions(node):
    """Drops `description` keywords, keeping properties that happen to be called "description"."""
    if isinstance(node, list):
        return [strip_descriptions(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "description" and isinstance(value, str):
            continue
        if key in ("properties", "patternProperties", "$defs", "definitions") and isinstance(value, dict):
            out[key] = {k: strip_descriptions(v) for k, v in value.items()}
        else:
            out[key] = strip_descriptions(value)
    return out


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def vendor_kubernetes(wheel: zipfile.ZipFile) -> None:
    base = f"kubernetes_validate/kubernetes-json-schema/{K8S_VERSION}-local-strict"
    kinds = {k: json.loads(wheel.read(f"{base}/{k}.json")) for k in K8S_KINDS}
    definitions = json.loads(wheel.read(f"{base}/_definitions.json"))
    # Keep only the definitions the chosen kinds reach, following $refs transitively.
    keep, todo = set(), [m for schema in kinds.values() for m in REF.findall(json.dumps(schema))]
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep.add(name)
        todo.extend(REF.findall(json.dumps(definitions["$defs"][name])))
    definitions["$defs"] = {k: v for k, v in definitions["$defs"].items() if k in keep}
    target = OUT / "kubernetes" / K8S_VERSION
    shutil.rmtree(target, ignore_errors=True)
    for kind, schema in kinds.items():
        write_json(target / f"{kind}.json", strip_descriptions(schema))
    write_json(target / "_definitions.json", strip_descriptions(definitions))
    license_name = next(n for n in wheel.namelist() if n.endswith("licenses/LICENSE"))
    (target / "LICENSE").write_bytes(wheel.read(license_name))


def vendor_compose(wheel: zipfile.ZipFile) -> None:
    vendor = "check_jsonschema/builtin_schemas/vendor"
    write_json(OUT / "compose-spec.json", strip_descriptions(json.loads(wheel.read(f"{vendor}/compose-spec.json"))))
    (OUT / "LICENSE.compose-spec").write_bytes(wheel.read(f"{vendor}/licenses/LICENSE.compose-spec"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vendor_kubernetes(download(KUBERNETES_VALIDATE, Path(tmp)))
        vendor_compose(download(CHECK_JSONSCHEMA, Path(tmp)))
    write_json(
        OUT / "sources.json",
        {"kubernetes": {"package": KUBERNETES_VALIDATE, "version": K8S_VERSION, "kinds": K8S_KINDS},
         "compose": {"package": CHECK_JSONSCHEMA, "file": "compose-spec.json"}},
    )
    print(f"schemas written to {OUT}")


if __name__ == "__main__":
    main()
