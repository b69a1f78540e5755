"""Flask commands: ``flask --app eih eih ...``. Bad input: one line, exit 2."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from .demo import demo_password, load_demo
from .extensions import db
from .models import ROLES, Region, User

eih_cli = AppGroup("eih", help="Ervaring in Huis: set-up, demo data, users, planning.")
users_cli = AppGroup("users", help="Manage user accounts.")
eih_cli.add_command(users_cli)


def fail(message: str) -> None:
    """The CLI's one way to refuse bad input."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@eih_cli.command("init")
def init_command() -> None:
    """Create or upgrade the database to the newest schema."""
    upgrade()
    click.echo("database is up to date")


@eih_cli.command("demo")
@click.option("--password", default=None, help="Password for every demo account (default: a random one, kept in the instance folder).")
def demo_command(password: str | None) -> None:
    """Load the demo data (idempotent) and print the demo logins."""
    logins, password = load_demo(password)
    click.echo("Demo accounts (password for all: %s):" % password)
    for email, role in logins:
        click.echo(f"  {role:<12} {email}")


@eih_cli.command("demo-logins")
def demo_logins_command() -> None:
    """Print the demo accounts that exist, with the demo password."""
    if not (Path(current_app.instance_path) / "demo_password").exists():
        return
    users = db.session.query(User).filter(User.email.like("%@eih.example")).order_by(User.region_id, User.role, User.email).all()
    if users:
        click.echo(f"Demo accounts (password for all: {demo_password()}):")
        for user in users:
            click.echo(f"  {user.role:<12} {user.email}")


@eih_cli.command("has-data")
def has_data_command() -> None:
    """Exit 0 when the database holds users, 1 when it is empty."""
    sys.exit(0 if db.session.query(User).first() else 1)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default=None)
@click.option("--role", required=True)
@click.option("--region", "region_slug", default=None, help="Region slug (required except for admins).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, name: str | None, role: str, region_slug: str | None, password_stdin: bool) -> None:
    """Create a user account."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        fail(f"not a valid e-mail address: {email!r}")
    if role not in ROLES:
        fail(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    region = None
    if region_slug:
        region = db.session.query(Region).filter_by(slug=region_slug).one_or_none()
        if region is None:
            fail(f"unknown region {region_slug!r}")
    elif role != "admin":
        fail("--region is required for every role except admin")
    if db.session.query(User).filter_by(email=email).first():
        fail(f"a user with e-mail {email} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        fail("the password needs at least 10 characters")
    user = User(email=email, name=name or email.split("@")[0], role=role, region=region, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {email}")


def register_cli(app) -> None:
    app.cli.add_command(eih_cli)
    for hook in app.extensions.get("eih_cli_hooks", []):
        hook(eih_cli)
    for plugin in app.extensions.get("eih_plugins", {}).values():
        if plugin.cli is not None:
            app.cli.add_command(plugin.cli)
