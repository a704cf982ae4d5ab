#!/usr/bin/python3
"""Checks examples/kubernetes/compare-job.yaml without a cluster: it parses as YAML, holds the shared
volume, the plan Job, the Indexed train Job and the collect Job, and the three steps agree (same volume and
mount path, same run folder, --job auto, the fields an Indexed Job with per-index retries needs).

    /usr/bin/python3 scripts/kubernetes/check-example.py [FILE]      # needs python3-yaml
"""
import sys

import yaml


def fail(message):
    print(f"check-example: {message}", file=sys.stderr)
    sys.exit(1)


def option(command, name):
    if name not in command or command.index(name) + 1 >= len(command):
        fail(f"{command} has no {name} VALUE")
    return command[command.index(name) + 1]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "examples/kubernetes/compare-job.yaml"
    with open(path, encoding="utf-8") as f:
        documents = [d for d in yaml.safe_load_all(f) if d is not None]
    objects = {d["metadata"]["labels"]["step"]: d for d in documents}
    if sorted(objects) != ["collect", "plan", "train", "volume"] or len(documents) != 4:
        fail(f"expected the steps volume, plan, train, collect once each; found {[d['metadata'] for d in documents]}")

    volume = objects["volume"]
    if volume["kind"] != "PersistentVolumeClaim" or volume["spec"]["accessModes"] != ["ReadWriteMany"]:
        fail("the volume must be a ReadWriteMany PersistentVolumeClaim")

    commands = {}
    for step in ("plan", "train", "collect"):
        job = objects[step]
        if job["kind"] != "Job" or job["apiVersion"] != "batch/v1":
            fail(f"{step}: not a batch/v1 Job")
        pod = job["spec"]["template"]
        if pod["metadata"]["labels"]["step"] != step:
            fail(f"{step}: the pod template's step label differs from the Job's")
        spec = pod["spec"]
        if spec["restartPolicy"] != "Never":
            fail(f"{step}: restartPolicy must be Never")
        (container,) = spec["containers"]
        claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"]}
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        if claims != {"data": volume["metadata"]["name"]} or mounts != {"data": "/data"}:
            fail(f"{step}: must mount the claim {volume['metadata']['name']} at /data")
        if "memory" not in container["resources"]["limits"]:
            fail(f"{step}: no memory limit")
        command = container["command"]
        if command[1] != "compare":
            fail(f"{step}: the command must be 'compare': {command}")
        commands[step] = command

    train = objects["train"]["spec"]
    if train.get("completionMode") != "Indexed":
        fail("train: completionMode must be Indexed")
    if not isinstance(train.get("completions"), int) or train["completions"] < 1:
        fail("train: completions must be the plan's number of trainings")
    if not isinstance(train.get("parallelism"), int) or train["parallelism"] < 1:
        fail("train: parallelism must be a positive number")
    if "--plan" not in commands["plan"]:
        fail("plan: the command must have --plan")
    run = option(commands["plan"], "-o")
    if option(commands["train"], "--run-folder") != run or option(commands["train"], "--job") != "auto":
        fail(f"train: the command must be --run-folder {run} --job auto")
    if option(commands["collect"], "--collect") != run:
        fail(f"collect: the command must be --collect {run}")
    if not run.startswith("/data/"):
        fail(f"the run folder {run} must be on the shared volume (/data)")
    threads = [e for e in objects["train"]["spec"]["template"]["spec"]["containers"][0]["env"] if e["name"] == "OMP_NUM_THREADS"]
    if not threads or threads[0]["valueFrom"]["resourceFieldRef"]["resource"] != "requests.cpu":
        fail("train: OMP_NUM_THREADS must come from the CPU request")
    print(f"check-example: {path}: volume, plan, Indexed train Job ({train['completions']} completions, "
          f"parallelism {train['parallelism']}) and collect agree on {run}")


if __name__ == "__main__":
    main()
