#!/usr/bin/env python3
"""Install the built Python wheel into a scratch folder and check it against its jsii assembly.

    python3 scripts/python-check/check_wheel.py dist/python
    python3 scripts/python-check/check_wheel.py dist/python --run-example examples/python/app.py

TARGET is a .whl file or a folder holding exactly one. The wheel is installed with
`pip install --no-deps --no-index --target <tmp>` (pip's own config files and PIP_* variables are
ignored, so the machine's pip setup cannot change what is checked), then binding_check.py runs
in `python -I -S -B` with the stand-ins of standins/ first on sys.path: no real jsii, aws_cdk,
constructs, typeguard or publication is needed, and none that happens to be installed is used.
Stdlib only. See README.md beside this file.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def find_wheel(target):
    if os.path.isfile(target):
        return target, None
    if not os.path.isdir(target):
        return None, "%s does not exist (run the package:python task first)" % target
    wheels = sorted(glob.glob(os.path.join(target, "*.whl")))
    if len(wheels) != 1:
        return None, "expected exactly one .whl in %s, found %s" % (
            target, [os.path.basename(w) for w in wheels] or "none (did `pip wheel` fail?)")
    return wheels[0], None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", help="the wheel, or the folder holding it (dist/python)")
    parser.add_argument("--run-example", action="append", default=[], metavar="FILE",
                        help="also run this Python CDK app against the stand-ins (repeatable)")
    parser.add_argument("--deps-dir", default=os.path.join(REPO, "node_modules"),
                        help="node_modules with the dependency assemblies, to check props and members "
                             "inherited from aws-cdk-lib types (default: %(default)s; '' for none)")
    parser.add_argument("--no-self-test", action="store_true",
                        help="skip proving that the check notices a renamed prop")
    parser.add_argument("--keep", action="store_true", help="keep the scratch install folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every checked member")
    args = parser.parse_args(argv)

    wheel, error = find_wheel(args.target)
    if error:
        print("python wheel check: FAILED, " + error)
        return 1
    deps_dir = args.deps_dir if args.deps_dir and os.path.isdir(args.deps_dir) else ""

    scratch = tempfile.mkdtemp(prefix="python-check-")
    site = os.path.join(scratch, "site")
    try:
        env = dict(os.environ, PIP_CONFIG_FILE=os.devnull)
        pip = [sys.executable, "-m", "pip", "install", "--isolated", "--disable-pip-version-check",
               "--root-user-action=ignore", "--no-deps", "--no-index", "--no-compile", "-q",
               "--target", site, wheel]
        done = subprocess.run(pip, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            print("python wheel check: FAILED, `%s` exited with %d:\n%s" % (" ".join(pip), done.returncode, done.stdout))
            return 1
        print("python wheel check: installed %s" % os.path.relpath(wheel))
        check = [sys.executable, "-I", "-S", "-B", os.path.join(HERE, "binding_check.py"), "--site", site,
                 "--deps-dir", deps_dir]
        if not args.no_self_test:
            check.append("--self-test")
        if args.verbose:
            check.append("-v")
        for example in args.run_example:
            check += ["--example", os.path.abspath(example)]
        return subprocess.run(check).returncode
    finally:
        if args.keep:
            print("python wheel check: kept %s" % site)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
