"""`cjreturns serve`, `cjreturns users ...` and `cjreturns register ...`: the collection portal
and its register. Django is imported inside each command (`cjreturns --help` stays fast), and
only when the optional `cjreturns[portal]` extra is installed."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cjreturns.cli.app import app, handle_errors
from cjreturns.core.errors import UsageError

users_app = typer.Typer(
    help="Accounts for the portal: coordinators and analysts.", no_args_is_help=True
)
register_app = typer.Typer(help="The register of submitted returns.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(register_app, name="register")

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="sqlite:///PATH (default ./cjreturns-register.sqlite3) or postgresql://...; "
        "also read from CJRETURNS_DATABASE_URL.",
    ),
]


def open_register(database: str | None, *, migrate: bool = True) -> str:
    """Configure Django for the register, saying how to install the portal if it is missing."""
    try:
        import django  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            "the portal is an optional part of cjreturns: pip install 'cjreturns[portal]'"
        ) from exc
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from cjreturns.register import setup

    try:
        return setup(database, migrate=migrate)
    except ImproperlyConfigured as exc:
        raise UsageError(str(exc)) from exc
    except DatabaseError as exc:
        raise UsageError(f"cannot open the register: {exc}") from exc


class Role(StrEnum):
    coordinator = "coordinator"
    analyst = "analyst"


@users_app.command("add")
@handle_errors
def users_add(
    email: Annotated[str, typer.Argument(help="The person's email address (their sign-in).")],
    role: Annotated[Role, typer.Option("--role", help="coordinator or analyst.")],
    partnership: Annotated[
        str | None, typer.Option("--partnership", help="A coordinator's partnership.")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Add an account. The password is read from standard input (one line)."""
    open_register(database)
    from cjreturns.register.services import accounts

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UsageError("give the password on standard input (one line)")
    user = accounts.add_user(email, role=role.value, password=password, partnership=partnership)
    where = f" for {user.partnership.name}" if user.partnership else ""
    typer.echo(f"Added {user.email} ({user.role}{where}).")


@users_app.command("token")
@handle_errors
def users_token(
    email: Annotated[str, typer.Argument(help="Whose token.")],
    database: DatabaseOption = None,
) -> None:
    """Print a new API token for the account (earlier tokens stay valid until revoked)."""
    open_register(database)
    from cjreturns.register.services import accounts

    typer.echo(accounts.new_token(accounts.user_named(email)))


@register_app.command("add")
@handle_errors
def register_add(
    file: Annotated[Path, typer.Argument(help="A return that arrived another way (email).")],
    partnership: Annotated[str, typer.Option("--partnership", help="Whose return it is.")],
    year: Annotated[
        str | None,
        typer.Option("--year", help="Reporting year (default: the year the return gives)."),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="The analyst recording it (default: the only one).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Record a return as a new version, exactly as if it had been uploaded."""
    if not file.is_file():
        raise UsageError(f"no such file: {file}")
    open_register(database)
    from cjreturns.register.models import User
    from cjreturns.register.services import accounts, intake

    data = file.read_bytes()
    if year is None:
        year = intake.validate_upload(data, file.name, year=None).result["reporting_year"]
        if not year:
            raise UsageError(f"{file} gives no reporting year: say which with --year")
    if by:
        analyst = accounts.user_named(by)
    else:
        analysts = list(User.objects.filter(role=User.Role.ANALYST, is_active=True)[:2])
        if len(analysts) != 1:
            raise UsageError("say which analyst is recording this with --by EMAIL")
        analyst = analysts[0]
    if not analyst.is_analyst:
        raise UsageError(f"{analyst.email} is not an analyst")
    s = intake.submit(
        data, file.name, year=year, user=analyst, partnership=partnership, channel="cli"
    )
    typer.echo(
        f"{s.partnership.name} {year}: version {s.version} recorded ({s.errors} errors, "
        f"{s.warnings} warnings), sha256 {s.sha256}."
    )


class StatusFormat(StrEnum):
    text = "text"
    json = "json"


@register_app.command("status")
@handle_errors
def register_status(
    year: Annotated[str, typer.Option("--year", help="Reporting year, e.g. 2021-22.")],
    format: Annotated[StatusFormat, typer.Option("--format", "-f")] = StatusFormat.text,
    database: DatabaseOption = None,
) -> None:
    """Every partnership's status for the year: version, errors, warnings, unanswered queries."""
    open_register(database)
    from cjreturns.register.services import progress

    rows = progress.status(year)
    if format is StatusFormat.json:
        payload = {"year": year, "partnerships": [r.to_dict() for r in rows]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    width = max(len(r.partnership) for r in rows)
    for r in rows:
        version = f"v{r.version}" if r.version else "-"
        typer.echo(
            f"{r.partnership:<{width}}  {r.status:<11}  {version:>4}  {r.errors:>3} errors  "
            f"{r.warnings:>3} warnings  {r.unanswered_queries:>3} unanswered"
            + ("  LATE" if r.late else "")
        )
    counts = progress.status_counts(rows)
    typer.echo(
        f"{year}: {counts['accepted']} accepted, {counts['submitted']} submitted, "
        f"{counts['returned']} returned, {counts['checked']} checked only, "
        f"{counts['not_started']} not started; {counts['late']} late."
    )


@register_app.command("backup")
@handle_errors
def register_backup(
    out: Annotated[Path, typer.Argument(help="The backup file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT.")] = False,
    database: DatabaseOption = None,
) -> None:
    """A consistent copy of a SQLite register while it runs (PostgreSQL: use pg_dump)."""
    from cjreturns.register import database_url
    from cjreturns.register.backup import backup

    backup(database_url(database), out, force=force)
    typer.echo(f"Backed up the register to {out}.")


@register_app.command("restore")
@handle_errors
def register_restore(
    backup_file: Annotated[Path, typer.Argument(help="A file `register backup` wrote.")],
    force: Annotated[bool, typer.Option("--force", help="Replace the existing register.")] = False,
    database: DatabaseOption = None,
) -> None:
    """Put a backup back as the register (stop the portal first)."""
    from cjreturns.register import database_url
    from cjreturns.register.backup import restore

    db = restore(backup_file, database_url(database), force=force)
    typer.echo(f"Restored {backup_file} as the register {db}.")


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    database: DatabaseOption = None,
    https: Annotated[
        bool,
        typer.Option(
            "--https", help="Behind a TLS proxy: secure cookies, HSTS, redirect to https."
        ),
    ] = False,
    demo: Annotated[
        Path | None,
        typer.Option(
            "--demo",
            help="Demo mode: accounts for every partnership in this folder of returns, "
            "which are loaded as submissions (`make serve`).",
        ),
    ] = None,
    threads: Annotated[int, typer.Option("--threads", help="Requests served at once.")] = 8,
) -> None:
    """Run the collection portal with a production WSGI server (waitress). Ctrl-C stops it."""
    import os
    import signal

    if https:
        os.environ["CJRETURNS_HTTPS"] = "1"
    if demo is not None:
        if not demo.is_dir():
            raise UsageError(f"no such folder: {demo}")
        os.environ["CJRETURNS_DEMO"] = "1"
    url = open_register(database)
    from waitress.server import create_server

    from cjreturns.portal.wsgi import application

    if demo is not None:
        from cjreturns.core.calendar import parse_year
        from cjreturns.register.demo import DEMO_PASSWORD, load_demo
        from cjreturns.register.services.years import check_year

        year = check_year(demo.name) if parse_year(demo.name) else "2021-22"
        loaded = load_demo(demo, year=year)
        typer.echo(f"Demo register {url}: {loaded.submitted} example returns for {year} loaded.")
        typer.echo(f"  Analyst:      {loaded.analyst}")
        first = next(iter(loaded.coordinators.items()), None)
        if first:
            typer.echo(
                f"  Coordinators: {first[1]} ({first[0]}), and coordinator@<partnership>.example"
            )
            typer.echo(f"                for each of the {len(loaded.coordinators)} partnerships")
        typer.echo(f"  Password for every demo account: {DEMO_PASSWORD}")
    try:
        server = create_server(
            application, host=host, port=port, threads=threads, ident="cjreturns"
        )
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"cjreturns portal at http://{shown}:{server.effective_port}/ (Ctrl-C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        typer.echo("Stopped.")
    finally:
        server.close()
