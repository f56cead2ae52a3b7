"""Builds the Python package `cascade` by driving CMake: the extension cascade._cascade from the
library (engine/, kernels/) and tools/python, with the tests, benchmarks and CLI off. Options:
CASCADE_CMAKE_ARGS (extra -D flags), CASCADE_BUILD_JOBS (parallel jobs, default: all cores)."""
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(cascade VERSION ([0-9.]+)", text).group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        package_dir = Path(self.get_ext_fullpath(ext.name)).resolve().parent
        build_dir = Path(self.build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
            "-DCASCADE_BUILD_TESTS=OFF", "-DCASCADE_BUILD_BENCH=OFF", "-DCASCADE_BUILD_TOOLS=OFF",
            "-DCASCADE_WITH_MPI=OFF", "-DCASCADE_BUILD_PYTHON=ON",
            f"-DPython_EXECUTABLE={sys.executable}",
            f"-DCASCADE_PYTHON_OUTPUT_DIR={package_dir}",
        ] + shlex.split(os.environ.get("CASCADE_CMAKE_ARGS", ""))
        jobs = os.environ.get("CASCADE_BUILD_JOBS", str(os.cpu_count() or 1))
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "cascade_python",
                        "-j", jobs], check=True)


(ROOT / "build-python").mkdir(exist_ok=True)  # setuptools wants egg_base to exist
setup(
    version=project_version(),
    packages=["cascade"],
    package_dir={"cascade": "tools/python/cascade"},
    package_data={"cascade": ["__init__.pyi", "py.typed"]},
    ext_modules=[CMakeExtension("cascade._cascade")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
    # Out of the way of a CMake build/ tree.
    options={"build": {"build_base": "build-python"}, "egg_info": {"egg_base": "build-python"}},
)
