"""Write docs/CONFIGURATION.md from the settings config.py declares (SECTIONS).

    .venv/bin/python scripts/configuration_doc.py          # writes the file
    .venv/bin/python scripts/configuration_doc.py --check  # exit 1 when it is out of date

tests/test_configuration_doc.py fails when the file differs from what this writes.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import config  # noqa: E402

OUTPUT = ROOT / "docs" / "CONFIGURATION.md"

INTRO = f"""\
# Configuration

<!-- Written by scripts/configuration_doc.py from config.py: edit those, then run
     `.venv/bin/python scripts/configuration_doc.py`. -->

Every setting is an environment variable, or a line `NAME=value` in the `.env` file beside
`config.py` (another file when the process environment has `{config.ENV_FILE_VARIABLE}=/path/to/file`;
the file must then exist). The process environment wins over the file. An empty value is
the same as leaving the setting out: its default applies. Nothing is required for a first
run.

The app refuses to start on a mistake rather than guess: the web server, the worker and
every `flask --app wsgi` command print one line per mistake, beginning
`Konfigurasi salah:`, and exit with code {{exit_code}} (gunicorn's own code for an app that failed to
load, so its master stops instead of starting workers again and again). Mistakes are:

- a name in the `.env` file that is no setting below, e.g. `FONTE_TOKEN` (the line names the
  file and the line, and the setting it most resembles: `Maksudnya FONNTE_TOKEN?`). The file
  may also hold the names other programs read: `FLASK_…` (Flask's command line),
  {", ".join(f"`{name}`" for name in config.OTHER_NAMES)};
- a line of the file that is not `NAME=value`;
- a value a setting cannot take (the *takes* column), from the file or the environment.
  Secret values and URLs are not repeated in the message.

A variable of the process environment that begins like ours
({", ".join(f"`{prefix}…`" for prefix in config.OUR_PREFIXES)}) but is no setting is only
warned about in the log: the environment holds other programs' variables too.

A *flag* is `{"`, `".join(config.TRUE_WORDS)}` (on) or `{"`, `".join(config.FALSE_WORDS)}` (off), in
any case. Seconds may have decimals (`0.5`).
"""


def cell(text):
    return text.replace("|", "\\|")


def default_of(setting):
    if setting.shown_default is not None:
        return setting.shown_default
    if setting.default is None:
        return "unset"
    return f"`{setting.default}`"


def render():
    parts = [INTRO.replace("{exit_code}", str(config.EXIT_CODE))]
    for title, settings in config.SECTIONS:
        parts.append(f"\n## {title}\n\n| name | default | takes | meaning |\n| --- | --- | --- | --- |\n")
        for setting in settings:
            parts.append(
                f"| `{setting.name}` | {cell(default_of(setting))} | {cell(setting.kind.doc)} | {cell(setting.doc)} |\n"
            )
    return "".join(parts)


def main(argv):
    text = render()
    if "--check" in argv:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(
                f"{OUTPUT.relative_to(ROOT)} is out of date: run .venv/bin/python scripts/configuration_doc.py"
            )
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)} written.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
