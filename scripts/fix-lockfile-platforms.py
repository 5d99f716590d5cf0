#!/usr/bin/env python3
"""Adds lock entries for the supabase CLI's per-platform binaries that the registry reachable
from our machines does not carry (only linux-x64 is mirrored there). npm then records nothing
for them and `npm ci` refuses the lock as out of sync. The entries are what a full registry
gives: optional, restricted by os/cpu/libc, so npm skips them on other platforms and fetches
them by name@version (without an integrity pin) where they apply. Run after `npm install`."""
import json
import pathlib

LOCK = pathlib.Path(__file__).resolve().parent.parent / "package-lock.json"
PLATFORMS = {
    "darwin-arm64": ("darwin", "arm64", None),
    "darwin-x64": ("darwin", "x64", None),
    "linux-arm64": ("linux", "arm64", "glibc"),
    "linux-arm64-musl": ("linux", "arm64", "musl"),
    "linux-x64": ("linux", "x64", "glibc"),
    "linux-x64-musl": ("linux", "x64", "musl"),
    "windows-arm64": ("win32", "arm64", None),
    "windows-x64": ("win32", "x64", None),
}

lock = json.loads(LOCK.read_text())
packages = lock["packages"]
cli = packages["node_modules/supabase"]
for name, version in cli.get("optionalDependencies", {}).items():
    key = f"node_modules/{name}"
    if key in packages:
        continue
    os_name, cpu, libc = PLATFORMS[name.split("cli-", 1)[1]]
    entry = {"version": version, "cpu": [cpu], "dev": True, "license": "MIT", "optional": True, "os": [os_name]}
    if libc:
        entry["libc"] = [libc]
    packages[key] = entry
LOCK.write_text(json.dumps(lock, indent=2) + "\n")
