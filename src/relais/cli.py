"""The `relais` console command: Django's management entry point with Relais' own commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "relais"
    # Relais' own commands use dashes (relais setup-demo); Django's module names use underscores.
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"relais : configuration invalide : {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
