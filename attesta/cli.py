"""The ``attesta`` console command: Django's management commands, with short names.

attesta convert FILE               print the canonical JSON of a document (no database)
attesta import FILE [--publish]    store a draft (or published) version, print the report
attesta export CODE [--version V] print the canonical JSON of a stored version
attesta demo                       demo accounts, the five seed référentiels, sessions (one
                                   deliberated per certification)
attesta documents SESSION_ID       issue the minutes and result documents of a signed session
attesta <any manage.py command>    e.g. attesta migrate, attesta runserver
"""

from __future__ import annotations

import sys

ALIASES = {
    "convert": "convert_referentiel",
    "import": "import_referentiel",
    "export": "export_referentiel",
    "demo": "demo",
    "documents": "issue_documents",
    "token": "drf_create_token",
}
# "attesta schedule SESSION_ID [--time-limit S]" is the exams app's own command.


def main(argv: list[str] | None = None) -> None:
    from config.env import use_default_settings

    use_default_settings()
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "attesta"
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    if len(args) == 1 or args[1] in ("-h", "--help"):
        print(__doc__)
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
