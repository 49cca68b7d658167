"""Checks of rendered Kubernetes manifests that a schema cannot make (.ci/k8s-check.sh).

Usage: k8s-policy.py RENDERED.yaml...  (the output of `kubectl kustomize`, one per overlay)

For every pod template (Deployment, Job, ...):
- drain timing: terminationGracePeriodSeconds (default 30) must be greater than each
  container's preStop sleep plus the drain that follows the stop signal: REC_GRACE_SECONDS
  (default 10, as rec-fcgi) for a container running rec-fcgi, the largest fastcgi_read_timeout
  in the rendered ConfigMaps for nginx. The kubelet counts the preStop hook inside the grace
  period, so a shorter one cuts the drain with a SIGKILL;
- Pod Security Standards "restricted": runAsNonRoot, seccompProfile RuntimeDefault, and in
  every container allowPrivilegeEscalation false, capabilities drop ALL, a read-only root;
- AWS_* variables only from a Secret (secretKeyRef), and no AWS_* key in any ConfigMap.
For a file named prod.yaml: every image carries a tag other than latest.
Prints one line per problem; exits 1 if there is any.
"""

import re
import sys

import yaml

POD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
DEFAULT_GRACE_PERIOD = 30
DEFAULT_REC_GRACE_SECONDS = 10


def pod_spec(obj):
    if obj.get("kind") == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    if obj.get("kind") in POD_KINDS:
        return obj["spec"]["template"]["spec"]
    if obj.get("kind") == "Pod":
        return obj["spec"]
    return None


def prestop_sleep(container):
    """Seconds the preStop hook sleeps: exec ["sleep", N], a shell's `sleep N`, or sleep.seconds."""
    hook = (container.get("lifecycle") or {}).get("preStop") or {}
    if "sleep" in hook:
        return int(hook["sleep"]["seconds"])
    command = (hook.get("exec") or {}).get("command") or []
    if command and command[0].rsplit("/", 1)[-1] == "sleep":
        return int(float(command[1]))
    match = re.search(r"\bsleep\s+(\d+)", " ".join(command))
    return int(match.group(1)) if match else 0


def env_value(container, name, default):
    for variable in container.get("env") or []:
        if variable["name"] == name and "value" in variable:
            return variable["value"]
    return default


def main(paths):
    problems = []
    checked = 0
    for path in paths:
        objects = [o for o in yaml.safe_load_all(open(path)) if o]
        read_timeouts = [
            int(seconds)
            for o in objects
            if o.get("kind") == "ConfigMap"
            for text in (o.get("data") or {}).values()
            for seconds in re.findall(r"^\s*fastcgi_read_timeout\s+(\d+)s?;", text, re.M)
        ]
        for o in objects:
            where = f"{path}: {o['kind']}/{o['metadata']['name']}"
            if o.get("kind") == "ConfigMap":
                for key in o.get("data") or {}:
                    if key.startswith("AWS_"):
                        problems.append(f"{where}: {key} in a ConfigMap (credentials belong in a Secret)")
            spec = pod_spec(o)
            if spec is None:
                continue
            checked += 1
            grace = spec.get("terminationGracePeriodSeconds", DEFAULT_GRACE_PERIOD)
            security = spec.get("securityContext") or {}
            if security.get("runAsNonRoot") is not True:
                problems.append(f"{where}: the pod's securityContext lacks runAsNonRoot: true")
            if (security.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
                problems.append(f"{where}: the pod's seccompProfile is not RuntimeDefault")
            containers = (spec.get("initContainers") or []) + spec["containers"]
            for c in containers:
                here = f"{where} container {c['name']}"
                context = c.get("securityContext") or {}
                if context.get("allowPrivilegeEscalation") is not False:
                    problems.append(f"{here}: allowPrivilegeEscalation is not false")
                if (context.get("capabilities") or {}).get("drop") != ["ALL"]:
                    problems.append(f"{here}: capabilities do not drop ALL")
                if context.get("readOnlyRootFilesystem") is not True:
                    problems.append(f"{here}: the root filesystem is not read-only")
                for variable in c.get("env") or []:
                    if variable["name"].startswith("AWS_") and "secretKeyRef" not in (variable.get("valueFrom") or {}):
                        problems.append(f"{here}: {variable['name']} does not come from a Secret")
                if path.endswith("prod.yaml"):
                    image = c["image"]
                    tag = image.rsplit("/", 1)[-1].partition(":")[2]
                    if "@" not in image and tag in ("", "latest"):
                        problems.append(f"{here}: image {image} is not pinned to a tag")
                command = " ".join((c.get("command") or []) + (c.get("args") or []))
                if re.search(r"(^|[\s/])rec-fcgi(\s|$)", command):
                    drain, what = int(env_value(c, "REC_GRACE_SECONDS", DEFAULT_REC_GRACE_SECONDS)), "REC_GRACE_SECONDS"
                elif re.search(r"(^|[\s/])nginx(\s|$)", command) and read_timeouts:
                    drain, what = max(read_timeouts), "fastcgi_read_timeout"
                else:
                    continue
                sleep = prestop_sleep(c)
                if not grace > sleep + drain:
                    problems.append(
                        f"{here}: terminationGracePeriodSeconds {grace} is not greater than the preStop "
                        f"sleep {sleep} + {what} {drain}: the drain would be cut short"
                    )
                else:
                    print(f"[k8s-policy] {here}: grace {grace}s > preStop {sleep}s + {what} {drain}s", file=sys.stderr)
    for problem in problems:
        print(f"[k8s-policy] FAILED: {problem}", file=sys.stderr)
    if checked == 0:
        print("[k8s-policy] FAILED: no pod template found", file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
