import importlib
import os
import sys

import django


def main(argv: list[str]) -> None:
    if argv[:1] == ["scale"]:
        # Its own database and settings, set up before Django (bench/scale.py); options follow.
        from bench import scale

        scale.main(argv[1:])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.development")
    django.setup()
    from bench import BENCHMARKS

    wanted = argv or BENCHMARKS
    for name in wanted:
        module = importlib.import_module(name if name.startswith("bench.") else f"bench.{name}")
        print(f"== {module.__name__}")
        module.run()


if __name__ == "__main__":
    main(sys.argv[1:])
