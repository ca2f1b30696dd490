"""CI (.ci/run) runs the README's test command verbatim, and its builds treat warnings as
errors: the README's command reuses the build/ cache, which CI seeds with TURNPOINT_WERROR=ON
before it, and the sanitizer build sets the option itself."""
import re

from tp_testing import REPO


def readme_commands():
    """The shell blocks of README.md, in order."""
    return re.findall(r"```sh\n(.*?)```", (REPO / "README.md").read_text(), flags=re.S)


def ci_lines():
    return (REPO / ".ci" / "run").read_text().splitlines()


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = readme_commands()[1].strip()
    assert "ctest" in test_command, "the README's second block is its test command"
    assert test_command in ci_lines()


def test_ci_seeds_the_readme_build_with_werror_first():
    lines = ci_lines()
    readme_at = lines.index(readme_commands()[1].strip())
    seed = [i for i, line in enumerate(lines)
            if line.startswith("cmake -S . -B build ") and "-DTURNPOINT_WERROR=ON" in line]
    assert seed and seed[0] < readme_at, "configure build/ with -DTURNPOINT_WERROR=ON before the README command"


def test_ci_sanitizer_build_treats_warnings_as_errors():
    text = (REPO / ".ci" / "run").read_text()
    configure = re.search(r"cmake -S \. -B build-asan(.*?)\n(?!\s)", text, flags=re.S)
    assert configure and "-DTURNPOINT_WERROR=ON" in configure.group(1)
