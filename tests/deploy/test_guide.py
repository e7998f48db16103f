"""docs/deploy.md and the files of deploy/ agree, as they had to when the guide was walked on a bare
Debian 12: every unit is installed by the guide, reads the environment file the guide writes, runs
from the folder it clones into, may write only folders it creates; every command the guide runs
comes from a package it installs; and its `mc` passes a quoted argument through untouched."""

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "deploy.md").read_text()
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
SH_BLOCKS = re.findall(r"```sh\n(.*?)```", GUIDE, re.S)


def directives(unit: Path, name: str) -> list[str]:
    return re.findall(rf"^{name}=(.*)$", unit.read_text(), re.M)


def apt_packages() -> set[str]:
    line = re.search(r"apt-get install -y (python3\.11 .*?)\n\n", SH_BLOCKS[0] + "\n\n", re.S)
    assert line, "step 1 installs the packages"
    return set(line.group(1).replace("\\\n", " ").split())


def test_the_guide_installs_every_unit_of_deploy():
    installed = set(
        re.findall(r"^cp /srv/motcua/app/deploy/systemd/(\S+) /etc/systemd/system/$", GUIDE, re.M)
    )
    shipped = {path.name for path in (ROOT / "deploy" / "systemd").iterdir()}
    assert installed == shipped


def test_every_unit_reads_the_environment_file_the_guide_writes():
    written = re.findall(r"^cp /srv/motcua/app/deploy/motcua\.env\.example (\S+)$", GUIDE, re.M)
    assert written == ["/etc/motcua/motcua.env"]
    assert UNITS
    for unit in UNITS:
        assert directives(unit, "EnvironmentFile") == written, unit.name
    # …and so does every unit written out in another guide (docs/backup.md once named /etc/motcua/env).
    for doc in (ROOT / "docs").glob("*.md"):
        for named in re.findall(r"^EnvironmentFile=(\S+)", doc.read_text(), re.M):
            assert named in written, f"{doc.name}: EnvironmentFile={named}"


def test_every_unit_runs_the_virtualenv_of_the_folder_the_guide_clones_into():
    clone = re.search(r"sudo -u motcua git clone <[^>]+> (\S+)", GUIDE)
    assert clone and "python3.11 -m venv .venv" in GUIDE
    for unit in UNITS:
        assert directives(unit, "WorkingDirectory") == [clone.group(1)], unit.name
        start = directives(unit, "ExecStart")[0]
        assert f"{clone.group(1)}/.venv/bin/motcua " in start or "exec .venv/bin/motcua " in start


def test_a_unit_writes_only_folders_the_guide_creates_for_its_user():
    created = set()
    for line in re.findall(r"^install -d -o motcua -g motcua (.*)$", GUIDE, re.M):
        created |= {word for word in line.split() if word.startswith("/")}
    for unit in UNITS:
        for line in directives(unit, "ReadWritePaths"):
            for folder in line.split():
                assert folder in created, f"{unit.name}: {folder}"


@pytest.mark.parametrize(
    ("used", "package"),
    [
        ("sudo -u", "sudo"),  # a Debian installed with a root password has no sudo
        ("curl -fsS", "curl"),
        ("/bin/kill", "procps"),  # ExecReload; not in a minimal Debian
        ("certbot certonly", "certbot"),
        ("git clone", "git"),
        ("nginx -t", "nginx"),
        ("python3.11 -m venv", "python3.11-venv"),
    ],
)
def test_every_command_used_comes_from_a_package_the_guide_installs(used, package):
    texts = [GUIDE, *(unit.read_text() for unit in UNITS)]
    assert any(used in text for text in texts)
    assert package in apt_packages()


def test_mc_passes_a_quoted_argument_through_untouched(tmp_path):
    """The guide's `mc` with sudo and the paths pointed at a stand-in app: `mc shell -c "…'x'…"` reaches
    the command as one argument with its quotes (the written-out `bash -c '…'` line broke on them)."""
    definition = next(block for block in SH_BLOCKS if block.startswith("mc() {"))
    definition = definition.split("\nmc check", 1)[0]
    app = tmp_path / "app"
    (app / ".venv" / "bin").mkdir(parents=True)
    stand_in = app / ".venv" / "bin" / "motcua"
    stand_in.write_text(
        "#!/usr/bin/env python3\nimport json, os, sys\n"
        'print(json.dumps([os.getcwd(), os.environ.get("MOTCUA_GUIDE_TEST"), sys.argv[1:]]))\n'
    )
    stand_in.chmod(0o755)
    env_file = tmp_path / "motcua.env"
    env_file.write_text("MOTCUA_GUIDE_TEST=read\n")
    definition = (
        definition.replace("sudo -u motcua ", "")
        .replace("/etc/motcua/motcua.env", str(env_file))
        .replace("/srv/motcua/app", str(app))
    )
    argument = "from motcua.accounts.models import User; User.objects.filter(username='quantri')"
    done = subprocess.run(
        ["bash", "-c", f"{definition}\nmc shell -c {shlex.quote(argument)}"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": os.environ["PATH"]},
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [str(app), "read", ["shell", "-c", argument]]
