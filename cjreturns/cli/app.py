"""The typer application object and what every command shares: --debug, errors, exit codes.

Commands live in sibling modules (one per stage) and only turn options into one library call and
a reporter. Heavy libraries (pandas, docx, openpyxl, jsonschema) are imported inside commands so
`cjreturns --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperGroup

from cjreturns.core.errors import CJReturnsError, UsageError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as the shell reports a program stopped by a closed pipe


class _PlainArgument(TyperArgument):
    """An argument shown as people read usage lines: `PATHS...`, not `{paths}... <list[Path]>`."""

    def display_type(self, ctx: Any) -> str:
        return ""  # no type after the name: the help text says what to give

    def _usage_display_name(self) -> str:
        name = self.metavar or (self.name or "arg").upper()
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    def _rich_display_name(self) -> str:
        return self._usage_display_name().strip("[]")


def _plain(command: Any) -> Any:
    # typer builds its commands from its own copy of click, so they are patched here, once
    # built, rather than subclassed where each command is declared.
    for param in command.params:
        if type(param) is TyperArgument:
            param.__class__ = _PlainArgument
    if type(command) is TyperGroup:  # a group of commands (plan, users ...) lists them whole too
        command.__class__ = _Group
    return command


def _summary(text: str) -> str:
    """A command's first paragraph, whole: the list of commands wraps it instead of cutting it."""
    return " ".join(text.strip().split("\n\n")[0].split())


class _Group(TyperGroup):
    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        return _plain(command) if command is not None else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, _summary(command.help or command.short_help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _show_version(value: bool) -> None:
    if value:
        from cjreturns import __version__

        typer.echo(f"cjreturns {__version__}")
        raise typer.Exit(EXIT_OK)


app = typer.Typer(
    cls=_Group,
    name="cjreturns",
    help="Validate, aggregate and report Scotland's community justice annual returns.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

_state = {"debug": bool(os.environ.get("CJRETURNS_DEBUG"))}


def debug_enabled() -> bool:
    return _state["debug"]


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks for internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Validate, aggregate and report Scotland's community justice annual returns."""
    # Set afresh on every run: an earlier --debug in the same process (tests) must not stick.
    _state["debug"] = debug or bool(os.environ.get("CJRETURNS_DEBUG"))


def echo_error(message: str) -> None:
    from cjreturns.cli.reporters import printable  # a path in the message may not be UTF-8

    # One line: a parser's message can span several ("while parsing ...\n  in line 2").
    typer.echo(f"Error: {printable(' '.join(message.split()))}", err=True)


def _discard_stdout() -> None:
    """Point stdout at the null device so flushing at exit cannot raise BrokenPipeError again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test runner's buffer): nothing to do
        return


def one_line(text: str, limit: int = 200) -> str:
    """The first line of an exception's message, shortened: the user gets one line, not a dump."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn library exceptions into one line and an exit code; a traceback only with --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except UsageError as exc:
            echo_error(str(exc))
            raise typer.Exit(EXIT_USAGE) from exc
        except CJReturnsError as exc:
            echo_error(str(exc))
            raise typer.Exit(EXIT_INVALID) from exc
        except KeyboardInterrupt as exc:
            echo_error("interrupted")
            raise typer.Exit(130) from exc
        except BrokenPipeError as exc:
            # The reader went away (`cjreturns validate ... | head`): stop quietly, as a
            # program killed by SIGPIPE would, instead of reporting a bug.
            _discard_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from exc
        except OSError as exc:
            # The machine refused (a folder that cannot be read, a device that failed): the
            # user's environment, not a bug. Outputs are written through outputs.files, which
            # says which output and why; this is the net for anything else.
            where = f"{exc.filename}: " if exc.filename else ""
            echo_error(f"{where}{exc.strerror or type(exc).__name__}")
            raise typer.Exit(EXIT_USAGE) from exc
        except Exception as exc:
            if debug_enabled():
                traceback.print_exc(file=sys.stderr)
            else:
                echo_error(
                    f"internal error ({type(exc).__name__}: {one_line(str(exc))}). This is a bug "
                    "in cjreturns: run again with --debug to see the details and please report it."
                )
            raise typer.Exit(EXIT_INTERNAL) from exc

    return wrapper  # type: ignore[return-value]


def generation_date() -> dt.date:
    """Today, or the date in SOURCE_DATE_EPOCH, the reproducible-builds convention."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError) as exc:
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from exc
    return dt.date.today()
