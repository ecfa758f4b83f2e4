"""Password reset throttled per address and per client; backups private; the proxy header trusted only behind one."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from assessments.limits import PASSWORD_RESET_PER_ADDRESS, PASSWORD_RESET_PER_CLIENT
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _ask(client, email: str, ip: str):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_mail_is_throttled_per_address(client, db, security_figures):
    UserFactory(username="known", email="known@example.org")
    answers = [_ask(client, "Known@Example.org", f"198.51.100.{n}") for n in range(PASSWORD_RESET_PER_ADDRESS + 3)]
    assert len(mail.outbox) == PASSWORD_RESET_PER_ADDRESS  # from different clients: the address counts
    assert {answer.status_code for answer in answers} == {302}
    assert {answer["Location"] for answer in answers} == {reverse("password_reset_done")}
    security_figures.add("password reset: throttled requests answered like any other", len(answers) - 3)


def test_password_reset_is_throttled_per_client(client, db):
    for n in range(PASSWORD_RESET_PER_CLIENT):
        UserFactory(username=f"user{n}", email=f"user{n}@example.org")
    for n in range(PASSWORD_RESET_PER_CLIENT):
        _ask(client, f"user{n}@example.org", "203.0.113.9")
    assert len(mail.outbox) == PASSWORD_RESET_PER_CLIENT
    UserFactory(username="late", email="late@example.org")
    answer = _ask(client, "late@example.org", "203.0.113.9")
    assert answer.status_code == 302 and len(mail.outbox) == PASSWORD_RESET_PER_CLIENT
    _ask(client, "late@example.org", "203.0.113.10")  # another client is not held back
    assert len(mail.outbox) == PASSWORD_RESET_PER_CLIENT + 1


def test_same_answer_whether_or_not_the_address_exists(client, db):
    UserFactory(username="known", email="known@example.org")
    known = _ask(client, "known@example.org", "198.51.100.1")
    unknown = _ask(client, "nobody@example.org", "198.51.100.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    for answer in (known, unknown):
        assert "If an account uses that address" in client.get(answer["Location"]).content.decode()


def test_backup_file_is_private_and_a_shared_folder_is_reported(db, tmp_path, capsys, security_figures):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    target = shared / "r2p.json.gz"
    target.write_bytes(b"old")
    target.chmod(0o644)  # an earlier, world-readable backup is overwritten privately
    old_umask = os.umask(0o022)
    try:
        call_command("backup", output=str(target))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "can be listed or entered by other users" in capsys.readouterr().err
    private = tmp_path / "private" / "deeper" / "r2p.json.gz"
    call_command("backup", output=str(private))
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700
    assert "other users" not in capsys.readouterr().err
    security_figures.add("backups written with mode 0600", 2)


@pytest.mark.parametrize(("proxies", "expected"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_forwarded_proto_is_trusted_only_behind_a_proxy(proxies, expected):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="r2p.settings.prod",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="r2p.example.org",
        R2P_PROXY_COUNT=proxies,
    )
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == expected
